// What a plugin registers its hooks on. The host passes one Registry to
// Plugin::register_hooks; everything registered belongs to that plugin and
// is dropped if registration fails.
#pragma once

#include <memory>

#include "aa/admin.hpp"
#include "aa/db.hpp"
#include "aa/export.hpp"
#include "aa/hooks.hpp"
#include "aa/permissions.hpp"
#include "aa/service.hpp"
#include "aa/settings.hpp"
#include "aa/signals.hpp"
#include "aa/tasks.hpp"

namespace aa {

class Context;

class AA_SDK_API Registry {
 public:
  virtual ~Registry() = default;

  /// Routes under a base path. A route name that another plugin already
  /// registered makes the whole plugin fail to load.
  virtual void add_urls(UrlHook hook) = 0;
  virtual void add_menu_item(MenuItemHook hook) = 0;
  virtual void add_dashboard_panel(DashboardHook hook) = 0;
  virtual void add_theme(ThemeHook hook) = 0;
  virtual void add_service(std::shared_ptr<ServiceHook> service) = 0;
  /// A permission code that another plugin already declared makes the
  /// plugin fail to load.
  virtual void add_permission(PermissionDecl permission) = 0;
  /// The plugin's next schema migration; applied only by `allianceauth migrate`.
  virtual void add_migration(Migration migration) = 0;
  virtual void add_setting(SettingDecl setting) = 0;
  virtual void subscribe(Signal signal, SignalHandler handler) = 0;
  /// A background task. A name another plugin registered, a name that does
  /// not start with "<plugin>.", a priority outside 1-9 or a negative
  /// max_retries makes the plugin fail to load.
  virtual void add_task(TaskDecl task) = 0;
  /// A model on the admin site (see aa/admin.hpp). A model that another
  /// plugin already registered, a bad name or a missing list or load
  /// function makes the plugin fail to load.
  virtual void add_admin(AdminHook hook) = 0;
  /// A bulk action on a model of another plugin or of core (e.g. "auth",
  /// "user" for users, where services add "sync nickname"). An action for a
  /// model that no loaded plugin registers is logged and left out when the
  /// daemon starts serving.
  virtual void add_admin_action(std::string app_label, std::string model_name, AdminAction action) = 0;

  /// Host services; settings and loggers are usable during registration,
  /// the database only after migrations have been checked.
  virtual Context& context() = 0;
};

}  // namespace aa
