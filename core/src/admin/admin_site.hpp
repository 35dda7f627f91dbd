// The admin site's models: every AdminHook core and the plugins registered,
// with the actions other plugins added to them and their permission codes
// resolved, and what the current user may do with each.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "aa/admin.hpp"

namespace aa::core {

class App;

struct ModelAdmin {
  std::string plugin;
  AdminHook hook;
  std::string view_permission;
  std::string add_permission;
  std::string change_permission;
  std::string delete_permission;
  /// Values of the placeholders in action labels, by action name, e.g.
  /// {"service": "Discord"} for "Update {service} groups".
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> action_label_args;

  /// The action's label, translated, with its placeholders filled.
  std::string action_label(Request& request, const AdminAction& action) const;
  std::string key() const { return hook.app_label + "." + hook.model_name; }
  const AdminField* field(std::string_view name) const;
};

/// What the current user may do with one model. As in Django, the change
/// permission includes viewing.
struct ModelRights {
  bool view = false;
  bool add = false;
  bool change = false;
  bool remove = false;
};

class AdminSite {
 public:
  explicit AdminSite(App& app) : app_(app) {}

  /// Every model, sorted by app label and model name. Built from the app's
  /// hooks on first use, after every plugin has registered; actions for
  /// models nobody registered are logged and left out then.
  const std::vector<ModelAdmin>& models();
  /// The model at /admin/<app_label>/<model_name>/, or nullptr.
  const ModelAdmin* find(std::string_view app_label, std::string_view model_name);

 private:
  void build();

  App& app_;
  std::once_flag built_;
  std::vector<ModelAdmin> models_;
};

ModelRights rights_of(Request& request, const ModelAdmin& model);

/// True when `action` is offered to the request's user.
bool may_run(Request& request, const ModelAdmin& model, const AdminAction& action);

}  // namespace aa::core
