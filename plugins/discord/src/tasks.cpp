#include "tasks.hpp"

#include <soci/soci.h>

#include "aa/context.hpp"
#include "discord_users.hpp"
#include "member_check.hpp"
#include "sync.hpp"

namespace discord_service {
namespace {

using SyncFunction = SyncOutcome (*)(Shared&, soci::session&, long long);

std::string check_user_args(const boost::json::value& args) {
  if (!args.is_object()) return "expected {\"user_id\": N}";
  auto user_id = args.as_object().if_contains("user_id");
  if (!user_id || !user_id->is_int64() || user_id->as_int64() <= 0) return "expected {\"user_id\": N} with N > 0";
  return {};
}

const char* outcome_text(SyncOutcome outcome) {
  switch (outcome) {
    case SyncOutcome::updated: return "updated";
    case SyncOutcome::unchanged: return "unchanged";
    case SyncOutcome::not_linked: return "not linked";
    case SyncOutcome::left_guild: return "left the guild; link deleted";
    case SyncOutcome::user_deleted: return "user deleted; member removed and link deleted";
  }
  return "";
}

void add_user_task(aa::Registry& registry, std::shared_ptr<Shared> shared, const char* name, SyncFunction function) {
  registry.add_task({.name = name,
                     .run =
                         [shared, name, function](aa::TaskRun& run) {
                           if (!shared->settings.complete()) {
                             shared->logger.warning(std::string(name) + " skipped: the Discord service is not configured");
                             return;
                           }
                           auto user_id = run.args.as_object().at("user_id").as_int64();
                           soci::session sql(run.context.database().pool());
                           auto outcome = function(*shared, sql, user_id);
                           shared->logger.debug(std::string(name) + " for user " + std::to_string(user_id) + ": " +
                                                outcome_text(outcome));
                         },
                     .check_args = check_user_args,
                     .max_retries = shared->settings.tasks_max_retries,
                     .retry_pause = shared->settings.tasks_retry_pause,
                     .only_once = true});
}

// The selection of linked users a bulk task enqueues the one-user tasks for.
using SelectUsers = std::vector<long long> (*)(Shared&, soci::session&);

std::vector<long long> every_linked_user(Shared&, soci::session& sql) { return linked_user_ids(sql); }

// Only the users whose member differs, from the guild's member list.
template <MemberAspect aspect>
std::vector<long long> users_that_differ(Shared& shared, soci::session& sql) {
  static constexpr const char* kTasks[] = {"discord.update_all_groups", "discord.update_all_nicknames",
                                           "discord.update_all_usernames"};
  const char* task = kTasks[static_cast<int>(aspect)];
  auto check = users_to_update(shared, sql, aspect, task);
  shared.logger.info(std::string(task) + " compared " + std::to_string(check.linked) + " linked users with " +
                     std::to_string(check.listed) + " guild members: " + std::to_string(check.to_update.size()) +
                     " need an update");
  return std::move(check.to_update);
}

// A bulk task enqueues the one-user tasks at bulk priority, so that each
// user is retried on its own and the rate limits spread the calls out.
void add_bulk_task(aa::Registry& registry, std::shared_ptr<Shared> shared, const char* name,
                   std::vector<const char*> user_tasks, SelectUsers select = every_linked_user) {
  registry.add_task({.name = name,
                     .run =
                         [shared, name, user_tasks, select](aa::TaskRun& run) {
                           if (!shared->settings.complete()) {
                             shared->logger.warning(std::string(name) + " skipped: the Discord service is not configured");
                             return;
                           }
                           soci::session sql(run.context.database().pool());
                           auto users = select(*shared, sql);
                           for (auto user_id : users) {
                             for (const auto* task : user_tasks) {
                               aa::TaskCall call;
                               call.name = task;
                               call.args = boost::json::object{{"user_id", user_id}};
                               call.priority = aa::kTaskPriorityBulk;
                               auto enqueued = run.context.tasks().enqueue(call);
                               if (!enqueued.ok()) throw std::runtime_error(std::string(name) + ": " + enqueued.error);
                             }
                           }
                           shared->logger.info(std::string(name) + " enqueued updates for " +
                                               std::to_string(users.size()) + " linked users");
                         },
                     .priority = aa::kTaskPriorityBulk,
                     .only_once = true});
}

}  // namespace

void register_tasks(aa::Registry& registry, std::shared_ptr<Shared> shared) {
  add_user_task(registry, shared, kUpdateGroupsTask, update_groups);
  add_user_task(registry, shared, kUpdateNicknameTask, update_nickname);
  add_user_task(registry, shared, kUpdateUsernameTask, update_username);
  add_bulk_task(registry, shared, "discord.update_all_groups", {kUpdateGroupsTask},
                users_that_differ<MemberAspect::roles>);
  add_bulk_task(registry, shared, "discord.update_all_nicknames", {kUpdateNicknameTask},
                users_that_differ<MemberAspect::nickname>);
  add_bulk_task(registry, shared, "discord.update_all_usernames", {kUpdateUsernameTask},
                users_that_differ<MemberAspect::username>);
  add_bulk_task(registry, shared, "discord.update_all", {kUpdateGroupsTask, kUpdateNicknameTask, kUpdateUsernameTask});
}

void enqueue_for_linked_user(Shared& shared, soci::session& sql, const char* task, long long user_id) {
  if (!find_discord_user(sql, user_id)) return;
  auto enqueued = shared.context.tasks().enqueue(task, boost::json::object{{"user_id", user_id}});
  if (!enqueued.ok()) {
    shared.logger.error("enqueueing " + std::string(task) + " for user " + std::to_string(user_id) +
                        " failed: " + enqueued.error);
  }
}

}  // namespace discord_service
