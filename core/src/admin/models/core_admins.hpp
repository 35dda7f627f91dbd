// The admins of the core models and the permissions they use, named as
// upstream Alliance Auth names them (Django's "<app>.<action>_<model>").
#pragma once

#include "aa/registry.hpp"

namespace aa::core {

class App;

/// Registers every core model admin below.
void register_core_admins(aa::Registry& registry, App& app);

void register_user_admin(aa::Registry& registry, App& app);
void register_state_admin(aa::Registry& registry, App& app);
void register_character_admins(aa::Registry& registry, App& app);
void register_token_admin(aa::Registry& registry, App& app);
void register_notification_admin(aa::Registry& registry, App& app);
void register_permission_admins(aa::Registry& registry, App& app);
void register_name_format_admin(aa::Registry& registry, App& app);
/// Groups with their group-management settings, and reserved group names.
void register_group_admins(aa::Registry& registry, App& app);

}  // namespace aa::core
