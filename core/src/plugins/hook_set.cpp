#include "plugins/hook_set.hpp"

#include <iterator>

namespace aa::core {
namespace {

template <typename T>
void append(std::vector<T>& to, std::vector<T>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

}  // namespace

void HookSet::merge(HookSet&& other) {
  append(urls, std::move(other.urls));
  append(menu_items, std::move(other.menu_items));
  append(dashboard_panels, std::move(other.dashboard_panels));
  append(themes, std::move(other.themes));
  append(services, std::move(other.services));
  append(permissions, std::move(other.permissions));
  append(subscriptions, std::move(other.subscriptions));
  append(tasks, std::move(other.tasks));
  append(admins, std::move(other.admins));
  append(admin_actions, std::move(other.admin_actions));
  append(migrations, std::move(other.migrations));
  append(settings, std::move(other.settings));
}

bool HookSet::has_permission(const std::string& code) const {
  for (const auto& permission : permissions) {
    if (permission.hook.code() == code) return true;
  }
  return false;
}

}  // namespace aa::core
