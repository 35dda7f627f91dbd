#include "services/service_admin_actions.hpp"

#include <boost/json.hpp>

#include "aa/service.hpp"
#include "app/app.hpp"
#include "app/logging.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

// Retries as for the per-user service tasks in service_access.cpp.
constexpr int kRetries = 5;
constexpr std::chrono::seconds kRetryPause{60};

ServiceHook* find_service(App& app, const std::string& name) {
  for (const auto& owned : app.hooks().services) {
    if (owned.hook->name() == name) return owned.hook.get();
  }
  return nullptr;
}

std::string check_service_args(const boost::json::value& args) {
  const char* expected = "expected {\"service\": \"<name>\", \"user_ids\": [<integer>, ...]}";
  if (!args.is_object()) return expected;
  const auto& object = args.as_object();
  auto service = object.if_contains("service");
  auto ids = object.if_contains("user_ids");
  if (!service || !service->is_string() || !ids || !ids->is_array()) return expected;
  for (const auto& id : ids->as_array()) {
    if (!id.is_int64()) return "\"user_ids\" holds " + boost::json::serialize(id) + ", not an integer; " + expected;
  }
  return {};
}

// The users of the selection who have an account on the service; the rest
// have nothing to update. An unknown service (unloaded since the action
// was queued) is logged and skipped, as retrying cannot help.
std::vector<User> users_with_account(App& app, ServiceHook& service, const boost::json::array& ids) {
  std::vector<User> users;
  for (const auto& id : ids) {
    auto user = app.auth().user_by_id(id.as_int64());
    if (user && service.service_active_for_user(*user)) users.push_back(std::move(*user));
  }
  return users;
}

TaskDecl service_task(App& app, const char* name, void (*run)(ServiceHook&, const std::vector<User>&)) {
  return {.name = name,
          .run =
              [&app, name, run](TaskRun& task) {
                const auto& args = task.args.as_object();
                auto service_name = std::string(args.at("service").as_string());
                auto* service = find_service(app, service_name);
                if (!service) {
                  core_log().warn("{}: service {} is not loaded; nothing was updated", name, service_name);
                  return;
                }
                auto users = users_with_account(app, *service, args.at("user_ids").as_array());
                run(*service, users);
                core_log().info("{}: {} of {} selected user(s) have a {} account and were updated", name,
                                users.size(), args.at("user_ids").as_array().size(), service_name);
              },
          .check_args = check_service_args,
          .priority = 4,
          .max_retries = kRetries,
          .retry_pause = kRetryPause};
}

AdminAction queue_action(App& app, std::string name, const char* label, const char* task, std::string service_name,
                         std::string service_title, const char* done_message) {
  return {.name = std::move(name),
          .label = label,
          .run = [&app, task, service_name, service_title, done_message](Request& request,
                                                                         const std::vector<long long>& ids) {
            boost::json::array user_ids;
            for (long long id : ids) user_ids.push_back(id);
            auto enqueued =
                app.tasks().enqueue(task, boost::json::object{{"service", service_name}, {"user_ids", user_ids}});
            if (!enqueued.ok()) {
              core_log().error("{} for {} user(s) was not enqueued: {}", task, ids.size(), enqueued.error);
              return AdminActionResult{
                  MessageLevel::error,
                  text::fill(request.translate("The task could not be queued: {error}. Try again later."),
                             {{"error", enqueued.error}})};
            }
            return AdminActionResult{MessageLevel::success,
                                     text::fill(request.translate(done_message),
                                                {{"service", service_title}, {"count", std::to_string(ids.size())}})};
          }};
}

}  // namespace

void register_service_action_tasks(aa::Registry& registry, App& app) {
  registry.add_task(
      service_task(app, kUpdateGroupsOfServiceTask, [](ServiceHook& service, const std::vector<User>& users) {
        if (!users.empty()) service.update_groups_bulk(users);
      }));
  registry.add_task(
      service_task(app, kSyncNicknamesOfServiceTask, [](ServiceHook& service, const std::vector<User>& users) {
        if (!users.empty()) service.sync_nicknames_bulk(users);
      }));
}

std::vector<LabelledAction> service_user_actions(App& app) {
  std::vector<LabelledAction> actions;
  for (const auto& owned : app.hooks().services) {
    const auto& service = *owned.hook;
    auto add = [&](std::string name, const char* label, const char* task, const char* done_message) {
      actions.push_back({queue_action(app, std::move(name), label, task, service.name(), service.title(), done_message),
                         {{"service", service.title()}}});
    };
    if (service.supports_groups()) {
      add("update_" + service.name() + "_groups", gettext_noop("Update {service} groups"), kUpdateGroupsOfServiceTask,
          gettext_noop("Queued the {service} group update of {count} user(s)."));
    }
    if (service.supports_nicknames()) {
      add("sync_" + service.name() + "_nickname", gettext_noop("Sync {service} nickname"), kSyncNicknamesOfServiceTask,
          gettext_noop("Queued the {service} nickname sync of {count} user(s)."));
    }
  }
  return actions;
}

}  // namespace aa::core
