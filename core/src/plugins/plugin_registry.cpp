#include "plugins/plugin_registry.hpp"

#include <array>
#include <regex>
#include <stdexcept>

#include "admin/admin_checks.hpp"
#include "http/router.hpp"

namespace aa::core {
namespace {

// The hooks of earlier plugins and this plugin's own, for duplicate checks.
template <typename T>
std::array<const std::vector<T>*, 2> both(const std::vector<T>& accepted, const std::vector<T>& mine) {
  return {&accepted, &mine};
}

bool is_identifier(const std::string& text) {
  static const std::regex kIdentifier("[a-z][a-z0-9_]*");
  return std::regex_match(text, kIdentifier);
}

}  // namespace

PluginRegistry::PluginRegistry(std::string plugin, aa::Context& context, const HookSet& accepted,
                               const Router& router)
    : plugin_(std::move(plugin)), context_(context), accepted_(accepted), router_(router) {}

void PluginRegistry::add_urls(UrlHook hook) {
  router_.check(hook);
  // Route names must also be unique against this plugin's earlier hooks and
  // against plugins loaded before it (the router holds neither yet).
  for (const auto* other : both(accepted_.urls, hooks_.urls)) {
    for (const auto& owned : *other) {
      if (owned.hook.url_namespace != hook.url_namespace) continue;
      for (const auto& mine : hook.routes) {
        for (const auto& theirs : owned.hook.routes) {
          if (mine.name == theirs.name) {
            throw std::invalid_argument("duplicate URL name '" + hook.url_namespace + ":" + mine.name +
                                        "', already registered by plugin " + owned.plugin);
          }
        }
      }
    }
  }
  hooks_.urls.push_back({plugin_, std::move(hook)});
}

void PluginRegistry::add_menu_item(MenuItemHook hook) {
  if (hook.text.empty() || hook.url_name.empty()) {
    throw std::invalid_argument("a menu item needs text and a URL name");
  }
  hooks_.menu_items.push_back({plugin_, std::move(hook)});
}

void PluginRegistry::add_dashboard_panel(DashboardHook hook) {
  if (!hook.render) throw std::invalid_argument("a dashboard panel needs a render function");
  hooks_.dashboard_panels.push_back({plugin_, std::move(hook)});
}

void PluginRegistry::add_theme(ThemeHook hook) {
  if (hook.name.empty()) throw std::invalid_argument("a theme needs a name");
  hooks_.themes.push_back({plugin_, std::move(hook)});
}

void PluginRegistry::add_service(std::shared_ptr<ServiceHook> service) {
  if (!service) throw std::invalid_argument("add_service got a null service");
  for (const auto* other : both(accepted_.services, hooks_.services)) {
    for (const auto& owned : *other) {
      if (owned.hook->name() == service->name()) {
        throw std::invalid_argument("duplicate service name '" + service->name() + "', already registered by plugin " +
                                    owned.plugin);
      }
    }
  }
  hooks_.services.push_back({plugin_, std::move(service)});
}

void PluginRegistry::add_permission(PermissionDecl permission) {
  if (!is_identifier(permission.app_label) || !is_identifier(permission.codename)) {
    throw std::invalid_argument("permission '" + permission.code() +
                                "' must be app_label.codename in lower case letters, digits and _");
  }
  for (const auto* other : both(accepted_.permissions, hooks_.permissions)) {
    for (const auto& owned : *other) {
      if (owned.hook.code() == permission.code()) {
        throw std::invalid_argument("duplicate permission code '" + permission.code() +
                                    "', already declared by plugin " + owned.plugin);
      }
    }
  }
  hooks_.permissions.push_back({plugin_, std::move(permission)});
}

void PluginRegistry::add_migration(Migration migration) {
  if (hooks_.migrations.empty()) hooks_.migrations.push_back({plugin_, {}});
  auto& set = hooks_.migrations.back();
  int expected = static_cast<int>(set.migrations.size()) + 1;
  if (migration.number != expected) {
    throw std::invalid_argument("migration '" + migration.name + "' has number " + std::to_string(migration.number) +
                                "; the next migration must be number " + std::to_string(expected));
  }
  if (!migration.up || !migration.down) {
    throw std::invalid_argument("migration " + std::to_string(migration.number) + " needs both up and down");
  }
  set.migrations.push_back(std::move(migration));
}

void PluginRegistry::add_setting(SettingDecl setting) {
  if (hooks_.settings.empty()) hooks_.settings.push_back({plugin_, {}});
  for (const auto& existing : hooks_.settings.back().second) {
    if (existing.key == setting.key) throw std::invalid_argument("setting '" + setting.key + "' declared twice");
  }
  hooks_.settings.back().second.push_back(std::move(setting));
}

void PluginRegistry::add_task(TaskDecl task) {
  static const std::regex kTaskName("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)+");
  // Core's tasks keep upstream's names, which start with "allianceauth.".
  std::string prefix = (plugin_ == "core" ? std::string("allianceauth") : plugin_) + ".";
  if (!std::regex_match(task.name, kTaskName) || !task.name.starts_with(prefix)) {
    throw std::invalid_argument("task name '" + task.name + "' must start with '" + prefix +
                                "' and contain only letters, digits, '_' and '.'");
  }
  if (!task.run) throw std::invalid_argument("task " + task.name + " has no run function");
  int lowest_priority = plugin_ == "core" ? 0 : 1;
  if (task.priority < lowest_priority || task.priority > 9) {
    throw std::invalid_argument("task " + task.name + " has priority " + std::to_string(task.priority) + "; it must be " +
                                std::to_string(lowest_priority) + " to 9 (0 is reserved for core)");
  }
  if (task.max_retries < 0 || task.retry_pause.count() < 0) {
    throw std::invalid_argument("task " + task.name + " has a negative max_retries or retry_pause");
  }
  if (task.queue.empty()) throw std::invalid_argument("task " + task.name + " has an empty queue name");
  for (const auto* other : both(accepted_.tasks, hooks_.tasks)) {
    for (const auto& owned : *other) {
      if (owned.hook.name == task.name) {
        throw std::invalid_argument("duplicate task name '" + task.name + "', already registered by plugin " +
                                    owned.plugin);
      }
    }
  }
  hooks_.tasks.push_back({plugin_, std::move(task)});
}

void PluginRegistry::add_admin(AdminHook hook) {
  check_admin_hook(hook);
  for (const auto* other : both(accepted_.admins, hooks_.admins)) {
    for (const auto& owned : *other) {
      if (owned.hook.app_label == hook.app_label && owned.hook.model_name == hook.model_name) {
        throw std::invalid_argument("duplicate admin model '" + hook.app_label + "." + hook.model_name +
                                    "', already registered by plugin " + owned.plugin);
      }
    }
  }
  hooks_.admins.push_back({plugin_, std::move(hook)});
}

void PluginRegistry::add_admin_action(std::string app_label, std::string model_name, AdminAction action) {
  check_admin_action(action);
  hooks_.admin_actions.push_back({plugin_, {std::move(app_label), std::move(model_name), std::move(action)}});
}

void PluginRegistry::subscribe(Signal signal, SignalHandler handler) {
  if (!handler) throw std::invalid_argument("subscribe got an empty handler");
  hooks_.subscriptions.push_back({plugin_, {signal, std::move(handler)}});
}

}  // namespace aa::core
