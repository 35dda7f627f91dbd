#include "admin/models/core_admins.hpp"

namespace aa::core {

void register_core_admins(aa::Registry& registry, App& app) {
  register_user_admin(registry, app);
  register_state_admin(registry, app);
  register_character_admins(registry, app);
  register_token_admin(registry, app);
  register_notification_admin(registry, app);
  register_permission_admins(registry, app);
  register_name_format_admin(registry, app);
  register_group_admins(registry, app);
}

}  // namespace aa::core
