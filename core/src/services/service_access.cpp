#include "services/service_access.hpp"

#include <boost/json.hpp>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "db/database.hpp"
#include "services/service_admin_actions.hpp"
#include "tasks/core_tasks.hpp"

namespace aa::core {
namespace {

// Retries for the per-user tasks: a service that is down for a minute
// should not leave a user who lost access in the service.
constexpr int kServiceTaskRetries = 5;
constexpr std::chrono::seconds kServiceTaskPause{60};

std::vector<long long> user_ids(App& app, const std::string& query, long long id) {
  std::vector<long long> ids;
  soci::session sql(app.db().pool());
  soci::rowset<soci::row> rows = (sql.prepare << query, soci::use(id));
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return ids;
}

// Runs `action` for every service and logs each failure with the service
// and user. Throws after the last one when any failed, so the task retries.
template <typename Action>
void for_each_service(App& app, long long user_id, const char* step, Action action) {
  std::string failed;
  for (const auto& owned : app.hooks().services) {
    auto& service = *owned.hook;
    try {
      action(service);
    } catch (const std::exception& error) {
      core_log().error("{} of user {} on service {} failed: {}; the task retries", step, user_id, service.name(),
                       error.what());
      failed += (failed.empty() ? "" : ", ") + service.name();
    }
  }
  if (!failed.empty()) throw std::runtime_error(std::string(step) + " failed on " + failed);
}

void enqueue_for_user(App& app, const char* task, long long user_id, const char* reason) {
  // Without services there is nothing to check, and no task to queue.
  if (app.hooks().services.empty()) return;
  auto enqueued = app.tasks().enqueue(task, boost::json::object{{"user_id", user_id}});
  if (!enqueued.ok()) {
    core_log().error("{} for user {} after {} was not enqueued: {}; run `allianceauth call {} '{{\"user_id\": {}}}'`",
                     task, user_id, reason, enqueued.error, task, user_id);
  }
}

void enqueue_users_of(App& app, const char* key, long long id) {
  if (app.hooks().services.empty()) return;
  auto enqueued = app.tasks().enqueue(kValidateUsersOfTask, boost::json::object{{key, id}});
  if (!enqueued.ok()) {
    core_log().error("service access of the users of {} {} was not re-checked: {}; run `allianceauth call {}`", key, id,
                     enqueued.error, kValidateAllUsersTask);
  }
}

void update_groups(App& app, long long user_id) {
  auto user = app.auth().user_by_id(user_id);
  if (!user) return;
  for_each_service(app, user_id, "updating the groups", [&](ServiceHook& service) {
    if (service.supports_groups() && service.service_active_for_user(*user)) service.update_groups(*user);
  });
}

void sync_nickname(App& app, long long user_id) {
  auto user = app.auth().user_by_id(user_id);
  if (!user) return;
  for_each_service(app, user_id, "syncing the nickname", [&](ServiceHook& service) {
    if (service.supports_nicknames() && service.service_active_for_user(*user)) service.sync_nickname(*user);
  });
}

void validate_all_users(App& app) {
  auto ids = user_ids(app, "SELECT id FROM users WHERE id > :after ORDER BY id", 0);
  std::size_t batches = 0;
  for (std::size_t first = 0; first < ids.size(); first += kValidateBatch) {
    std::size_t last = std::min(ids.size(), first + kValidateBatch) - 1;
    auto enqueued = app.tasks().enqueue(kValidateUsersBatchTask,
                                        boost::json::object{{"first_user_id", ids[first]}, {"last_user_id", ids[last]}});
    if (!enqueued.ok()) throw std::runtime_error(enqueued.error);
    ++batches;
  }
  core_log().info("checking the service access of {} users in {} batch task(s)", ids.size(), batches);
}

// Validates each user of the batch, so one failing user does not stop the
// others. Throws at the end when any failed, so the batch retries.
void validate_users(App& app, const std::vector<long long>& ids) {
  std::size_t failed = 0;
  for (long long id : ids) {
    try {
      validate_user_services(app, id);
    } catch (const std::exception&) {
      ++failed;  // logged per service by validate_user_services
    }
  }
  if (failed > 0) throw std::runtime_error(std::to_string(failed) + " user(s) could not be validated");
}

// True when a change to `permission` can change a user's access to a
// service: it is a service's access permission, or empty (a change not tied
// to one permission).
bool grants_service_access(App& app, const std::string& permission) {
  if (permission.empty()) return true;
  for (const auto& owned : app.hooks().services) {
    if (owned.hook->access_permission() == permission) return true;
  }
  return false;
}

std::string check_user_id(const boost::json::value& args) { return require_integer_fields(args, {"user_id"}); }

std::string check_users_of(const boost::json::value& args) {
  const char* expected = "expected {\"group_id\": <integer>} or {\"state_id\": <integer>}";
  if (!args.is_object() || args.as_object().size() != 1) return expected;
  if (args.as_object().contains("group_id")) return require_integer_fields(args, {"group_id"});
  if (args.as_object().contains("state_id")) return require_integer_fields(args, {"state_id"});
  return expected;
}

}  // namespace

void validate_user_services(App& app, long long user_id) {
  auto user = app.auth().user_by_id(user_id);
  for_each_service(app, user_id, "validating the access", [&](ServiceHook& service) {
    if (!user) {
      // The account row is gone; the service finds its records by id.
      User deleted;
      deleted.id = user_id;
      deleted.is_active = false;
      if (service.delete_user(deleted, false)) {
        core_log().info("removed the {} account of deleted user {}", service.name(), user_id);
      }
      return;
    }
    bool allowed = user->is_active && app.auth().user_has_perm(user_id, service.access_permission());
    if (!allowed && service.service_active_for_user(*user)) {
      if (service.delete_user(*user, true)) {
        core_log().info("removed the {} account of user {}: no {} permission{}", service.name(), user_id,
                        service.access_permission(), user->is_active ? "" : " (inactive)");
      }
    }
    service.validate_user(*user);
  });
}

void register_service_tasks(aa::Registry& registry, App& app) {
  auto per_user = [&app](const char* name, void (*run)(App&, long long), bool only_once) {
    return aa::TaskDecl{.name = name,
                        .run = [&app, run](aa::TaskRun& task) { run(app, integer_field(task.args, "user_id")); },
                        .check_args = check_user_id,
                        .priority = 4,
                        .max_retries = kServiceTaskRetries,
                        .retry_pause = kServiceTaskPause,
                        .only_once = only_once};
  };
  // The access checks queue every call, so each revoke gets a check of its
  // own. Group and nickname updates are only-once: an enqueue while one
  // runs makes it run once more, so no change is lost either.
  registry.add_task(per_user(kValidateUserTask, validate_user_services, false));
  registry.add_task(per_user(kUpdateGroupsTask, update_groups, true));
  registry.add_task(per_user(kSyncNicknameTask, sync_nickname, true));

  registry.add_task({.name = kValidateUsersOfTask,
                     .run =
                         [&app](aa::TaskRun& task) {
                           const auto& args = task.args.as_object();
                           if (args.contains("group_id")) {
                             validate_users(app, user_ids(app, "SELECT user_id FROM user_groups WHERE group_id = :id "
                                                               "ORDER BY user_id",
                                                          integer_field(task.args, "group_id")));
                           } else {
                             validate_users(app, user_ids(app, "SELECT user_id FROM user_profiles "
                                                               "WHERE state_id = :id ORDER BY user_id",
                                                          integer_field(task.args, "state_id")));
                           }
                         },
                     .check_args = check_users_of,
                     .priority = 4,
                     .max_retries = kServiceTaskRetries,
                     .retry_pause = kServiceTaskPause,
                     .only_once = false});
  registry.add_task({.name = kValidateAllUsersTask,
                     .run = [&app](aa::TaskRun&) { validate_all_users(app); },
                     .priority = kTaskPriorityBulk,
                     .max_retries = 3,
                     .retry_pause = std::chrono::seconds(60),
                     .only_once = true});
  registry.add_task({.name = kValidateUsersBatchTask,
                     .run =
                         [&app](aa::TaskRun& task) {
                           long long first = integer_field(task.args, "first_user_id");
                           long long last = integer_field(task.args, "last_user_id");
                           std::vector<long long> ids;
                           {
                             soci::session sql(app.db().pool());
                             soci::rowset<soci::row> rows =
                                 (sql.prepare << "SELECT id FROM users WHERE id >= :first AND id <= :last ORDER BY id",
                                  soci::use(first), soci::use(last));
                             for (const auto& row : rows) ids.push_back(row_int(row, 0));
                           }
                           validate_users(app, ids);
                         },
                     .check_args =
                         [](const boost::json::value& args) {
                           return require_integer_fields(args, {"first_user_id", "last_user_id"});
                         },
                     .priority = kTaskPriorityBulk,
                     .max_retries = kServiceTaskRetries,
                     .retry_pause = kServiceTaskPause});

  register_service_action_tasks(registry, app);

  // The reactions: each enqueues and returns, as signal handlers must.
  registry.subscribe(Signal::permission_grant_changed, [&app](aa::Context&, const SignalEvent& event) {
    if (!grants_service_access(app, event.permission)) return;
    if (event.user_id != 0) enqueue_for_user(app, kValidateUserTask, event.user_id, "a permission change");
    if (event.group_id != 0) enqueue_users_of(app, "group_id", event.group_id);
    if (event.state_id != 0) enqueue_users_of(app, "state_id", event.state_id);
  });
  registry.subscribe(Signal::user_groups_changed, [&app](aa::Context&, const SignalEvent& event) {
    enqueue_for_user(app, kValidateUserTask, event.user_id, "a group change");
    enqueue_for_user(app, kUpdateGroupsTask, event.user_id, "a group change");
  });
  registry.subscribe(Signal::user_state_changed, [&app](aa::Context&, const SignalEvent& event) {
    enqueue_for_user(app, kValidateUserTask, event.user_id, "a state change");
    enqueue_for_user(app, kUpdateGroupsTask, event.user_id, "a state change");
  });
  for (auto signal : {Signal::user_deactivated, Signal::user_deleted}) {
    registry.subscribe(signal, [&app](aa::Context&, const SignalEvent& event) {
      enqueue_for_user(app, kValidateUserTask, event.user_id, "an account change");
    });
  }
  registry.subscribe(Signal::main_character_changed, [&app](aa::Context&, const SignalEvent& event) {
    enqueue_for_user(app, kSyncNicknameTask, event.user_id, "a main character change");
  });
}

}  // namespace aa::core
