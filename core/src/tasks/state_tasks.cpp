// Re-checking every user's state after a state edit, in batches of users so
// that no transaction spans every user and workers share the load.
#include <boost/json.hpp>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "auth/states.hpp"
#include "db/database.hpp"
#include "tasks/core_tasks.hpp"

namespace aa::core {
namespace {

constexpr const char* kUpdateAll = "allianceauth.authentication.tasks.update_all_states";
constexpr const char* kUpdateBatch = "allianceauth.authentication.tasks.update_states_batch";

// Splits the user ids into ranges of kStateBatch users and enqueues one
// batch task per range.
void update_all_states(App& app) {
  std::vector<long long> ids;
  {
    soci::session sql(app.db().pool());
    soci::rowset<soci::row> rows = sql.prepare << "SELECT user_id FROM user_profiles ORDER BY user_id";
    for (const auto& row : rows) ids.push_back(row_int(row, 0));
  }
  std::size_t batches = 0;
  for (std::size_t first = 0; first < ids.size(); first += kStateBatch) {
    std::size_t last = std::min(ids.size(), first + kStateBatch) - 1;
    boost::json::object args{{"first_user_id", ids[first]}, {"last_user_id", ids[last]}};
    auto enqueued = app.tasks().enqueue(kUpdateBatch, std::move(args));
    if (!enqueued.ok()) throw std::runtime_error(enqueued.error);
    ++batches;
  }
  core_log().info("re-checking the states of {} users in {} batch task(s)", ids.size(), batches);
}

void update_states_batch(App& app, long long first_user_id, long long last_user_id) {
  std::vector<StateChange> changes;
  {
    soci::session sql(app.db().pool());
    aa::WriteTransaction transaction(sql);
    std::vector<long long> ids;
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT user_id FROM user_profiles WHERE user_id >= :first AND user_id <= :last "
                        "ORDER BY user_id",
         soci::use(first_user_id), soci::use(last_user_id));
    for (const auto& row : rows) ids.push_back(row_int(row, 0));
    for (long long id : ids) {
      auto change = update_user_state(sql, id);
      if (change.changed()) changes.push_back(change);
    }
    transaction.commit();
  }
  for (const auto& change : changes) {
    core_log().info("user {} moved from state {} to state {}", change.user_id, change.old_state_id,
                    change.new_state_id);
    app.emit({Signal::user_state_changed, change.user_id, 0, 0, change.new_state_id});
  }
}

}  // namespace

void register_state_tasks(aa::Registry& registry, App& app) {
  registry.add_task({.name = kUpdateAll,
                     .run = [&app](aa::TaskRun&) { update_all_states(app); },
                     .check_args = require_no_arguments,
                     .priority = 3,
                     .max_retries = 3,
                     .retry_pause = std::chrono::seconds(10)});
  registry.add_task({.name = kUpdateBatch,
                     .run =
                         [&app](aa::TaskRun& run) {
                           update_states_batch(app, integer_field(run.args, "first_user_id"),
                                               integer_field(run.args, "last_user_id"));
                         },
                     .check_args =
                         [](const boost::json::value& args) {
                           return require_integer_fields(args, {"first_user_id", "last_user_id"});
                         },
                     .priority = 3,
                     .max_retries = 3,
                     .retry_pause = std::chrono::seconds(10)});

  // A state edit re-checks every user in the background, not in the request.
  registry.subscribe(Signal::state_rules_changed, [&app](aa::Context&, const SignalEvent& event) {
    auto enqueued = app.tasks().enqueue(kUpdateAll);
    if (!enqueued.ok()) {
      core_log().error("states were not re-checked after the edit of state {}: {}; run `allianceauth call {}`",
                       event.state_id, enqueued.error, kUpdateAll);
    }
  });
}

}  // namespace aa::core
