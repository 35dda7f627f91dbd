// The Registry one plugin registers on. It checks each hook as it arrives
// and collects them, so that a plugin that fails leaves nothing behind.
#pragma once

#include <string>

#include "aa/registry.hpp"
#include "plugins/hook_set.hpp"

namespace aa::core {

class Router;

class PluginRegistry final : public aa::Registry {
 public:
  /// `accepted` holds the hooks of plugins already loaded; names and codes
  /// are checked against it. `router` checks route patterns and names.
  PluginRegistry(std::string plugin, aa::Context& context, const HookSet& accepted, const Router& router);

  void add_urls(UrlHook hook) override;
  void add_menu_item(MenuItemHook hook) override;
  void add_dashboard_panel(DashboardHook hook) override;
  void add_theme(ThemeHook hook) override;
  void add_service(std::shared_ptr<ServiceHook> service) override;
  void add_permission(PermissionDecl permission) override;
  void add_migration(Migration migration) override;
  void add_setting(SettingDecl setting) override;
  void subscribe(Signal signal, SignalHandler handler) override;
  void add_task(TaskDecl task) override;
  void add_admin(AdminHook hook) override;
  void add_admin_action(std::string app_label, std::string model_name, AdminAction action) override;
  aa::Context& context() override { return context_; }

  /// What was registered; moved out once registration succeeded.
  HookSet take() { return std::move(hooks_); }

 private:
  std::string plugin_;
  aa::Context& context_;
  const HookSet& accepted_;
  const Router& router_;
  HookSet hooks_;
};

}  // namespace aa::core
