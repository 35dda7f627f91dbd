#include "admin/admin_site.hpp"

#include <algorithm>
#include <tuple>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "services/service_admin_actions.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

std::string code_or_default(const std::string& code, const AdminHook& hook, const char* action) {
  if (!code.empty()) return code;
  return hook.app_label + "." + action + "_" + hook.model_name;
}

}  // namespace

std::string ModelAdmin::action_label(Request& request, const AdminAction& action) const {
  auto args = action_label_args.find(action.name);
  auto label = request.translate(action.label);
  return args == action_label_args.end() ? label : text::fill(label, args->second);
}

const AdminField* ModelAdmin::field(std::string_view name) const {
  for (const auto& field : hook.fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

const std::vector<ModelAdmin>& AdminSite::models() {
  std::call_once(built_, [this] { build(); });
  return models_;
}

const ModelAdmin* AdminSite::find(std::string_view app_label, std::string_view model_name) {
  for (const auto& model : models()) {
    if (model.hook.app_label == app_label && model.hook.model_name == model_name) return &model;
  }
  return nullptr;
}

void AdminSite::build() {
  const auto& hooks = app_.hooks();
  for (const auto& owned : hooks.admins) {
    ModelAdmin model;
    model.plugin = owned.plugin;
    model.hook = owned.hook;
    model.view_permission = code_or_default(model.hook.view_permission, model.hook, "view");
    model.add_permission = code_or_default(model.hook.add_permission, model.hook, "add");
    model.change_permission = code_or_default(model.hook.change_permission, model.hook, "change");
    model.delete_permission = code_or_default(model.hook.delete_permission, model.hook, "delete");
    models_.push_back(std::move(model));
  }

  for (const auto& owned : hooks.admin_actions) {
    const auto& [app_label, model_name, action] = owned.hook;
    auto it = std::find_if(models_.begin(), models_.end(), [&](const ModelAdmin& model) {
      return model.hook.app_label == app_label && model.hook.model_name == model_name;
    });
    if (it == models_.end()) {
      core_log().error("admin action {} of plugin {} is for model {}.{}, which no loaded plugin registers; "
                       "the action is left out",
                       action.name, owned.plugin, app_label, model_name);
      continue;
    }
    bool taken = std::any_of(it->hook.actions.begin(), it->hook.actions.end(),
                             [&](const AdminAction& existing) { return existing.name == action.name; });
    if (taken) {
      core_log().error("admin action {} of plugin {} is already defined on model {}.{}; the action is left out",
                       action.name, owned.plugin, app_label, model_name);
      continue;
    }
    it->hook.actions.push_back(action);
  }

  // The services' actions on users, known once every plugin has registered.
  auto users = std::find_if(models_.begin(), models_.end(), [](const ModelAdmin& model) {
    return model.hook.app_label == "auth" && model.hook.model_name == "user";
  });
  if (users != models_.end()) {
    for (auto& [action, args] : service_user_actions(app_)) {
      users->action_label_args[action.name] = args;
      users->hook.actions.push_back(std::move(action));
    }
  }

  std::sort(models_.begin(), models_.end(), [](const ModelAdmin& a, const ModelAdmin& b) {
    return std::tie(a.hook.app_label, a.hook.model_name) < std::tie(b.hook.app_label, b.hook.model_name);
  });
}

ModelRights rights_of(Request& request, const ModelAdmin& model) {
  ModelRights rights;
  const auto& hook = model.hook;
  bool change_permission = request.has_perm(model.change_permission);
  rights.view = request.has_perm(model.view_permission) || change_permission || hook.staff_may_view;
  rights.add = hook.save && hook.allow_add && request.has_perm(model.add_permission);
  rights.change = hook.save && hook.allow_change && change_permission;
  rights.remove = hook.remove && request.has_perm(model.delete_permission);
  return rights;
}

bool may_run(Request& request, const ModelAdmin& model, const AdminAction& action) {
  const User* user = request.user();
  if (!user) return false;
  if (action.superuser_only && !user->is_superuser) return false;
  if (!rights_of(request, model).view) return false;
  return request.has_perm(action.permission.empty() ? model.change_permission : action.permission);
}

}  // namespace aa::core
