// Everything the core and the loaded plugins registered, merged.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "aa/admin.hpp"
#include "aa/hooks.hpp"
#include "aa/permissions.hpp"
#include "aa/service.hpp"
#include "aa/settings.hpp"
#include "aa/signals.hpp"
#include "aa/tasks.hpp"
#include "db/migrator.hpp"

namespace aa::core {

template <typename Hook>
struct Owned {
  std::string plugin;
  Hook hook;
};

struct HookSet {
  std::vector<Owned<UrlHook>> urls;
  std::vector<Owned<MenuItemHook>> menu_items;
  std::vector<Owned<DashboardHook>> dashboard_panels;
  std::vector<Owned<ThemeHook>> themes;
  std::vector<Owned<std::shared_ptr<ServiceHook>>> services;
  std::vector<Owned<PermissionDecl>> permissions;
  std::vector<Owned<std::pair<Signal, SignalHandler>>> subscriptions;
  std::vector<Owned<TaskDecl>> tasks;
  std::vector<Owned<AdminHook>> admins;
  /// Actions added to another plugin's model: (app_label, model_name, action).
  std::vector<Owned<std::tuple<std::string, std::string, AdminAction>>> admin_actions;
  /// One set per plugin with migrations, "core" first.
  std::vector<MigrationSet> migrations;
  std::vector<std::pair<std::string, std::vector<SettingDecl>>> settings;

  /// Appends everything of `other`.
  void merge(HookSet&& other);
  bool has_permission(const std::string& code) const;
};

}  // namespace aa::core
