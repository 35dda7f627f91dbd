// The ownership check, as upstream's check_all_character_ownership: every
// owned character's SSO tokens are refreshed. A refresh the SSO rejects
// deletes that token. A new owner hash means the character moved to another
// EVE account, so it is released from its user as an SSO login would. A
// character left without tokens loses its ownership too. An unreachable SSO
// changes nothing.
#include <boost/json.hpp>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "auth/ownership.hpp"
#include "db/database.hpp"
#include "tasks/core_tasks.hpp"

namespace aa::core {
namespace {

constexpr const char* kCheckAll = "allianceauth.authentication.tasks.check_all_character_ownership";
constexpr const char* kCheckOne = "allianceauth.authentication.tasks.check_character_ownership";

void check_all(App& app) {
  std::vector<long long> ids;
  {
    soci::session sql(app.db().pool());
    soci::rowset<soci::row> rows = sql.prepare << "SELECT character_id FROM character_ownerships ORDER BY character_id";
    for (const auto& row : rows) ids.push_back(row_int(row, 0));
  }
  for (long long id : ids) {
    auto enqueued = app.tasks().enqueue(kCheckOne, boost::json::object{{"character_id", id}});
    if (!enqueued.ok()) throw std::runtime_error(enqueued.error);
  }
  core_log().info("ownership check: enqueued {} character(s)", ids.size());
}

void check_one(App& app, long long character_id) {
  std::vector<SignalEvent> events;
  {
    soci::session sql(app.db().pool());
    long long user_id = 0;
    std::string owner_hash;
    sql << "SELECT user_id, owner_hash FROM character_ownerships WHERE character_id = :id", soci::use(character_id),
        soci::into(user_id), soci::into(owner_hash);
    if (!sql.got_data()) return;

    bool confirmed = false;
    bool moved = false;
    for (const auto& token : app.tokens().tokens_of_character(sql, character_id)) {
      if (token.user_id != user_id) continue;
      auto outcome = app.tokens().refresh(sql, token);
      if (outcome.kind == RefreshOutcome::Kind::unavailable) {
        throw std::runtime_error("the SSO could not refresh token " + std::to_string(token.id) + " of character " +
                                 std::to_string(character_id) + ": " + outcome.error);
      }
      if (outcome.kind == RefreshOutcome::Kind::rejected) {
        core_log().info("ownership check: token {} of character {} was rejected by the SSO ({}) and deleted",
                        token.id, character_id, outcome.error);
        continue;
      }
      if (outcome.claims.owner_hash == owner_hash) {
        confirmed = true;
      } else {
        moved = true;
      }
      break;
    }

    if (confirmed) return;
    aa::WriteTransaction transaction(sql);
    if (moved) {
      core_log().info("ownership check: character {} has a new owner hash; releasing it from user {}", character_id,
                      user_id);
    } else {
      core_log().info("ownership check: character {} has no valid token left; releasing it from user {}",
                      character_id, user_id);
    }
    app.ownership().release(sql, character_id, events);
    transaction.commit();
  }
  for (const auto& event : events) app.emit(event);
}

}  // namespace

void register_ownership_tasks(aa::Registry& registry, App& app) {
  registry.add_task({.name = kCheckAll,
                     .run = [&app](aa::TaskRun&) { check_all(app); },
                     .check_args = require_no_arguments,
                     .only_once = true});
  registry.add_task({.name = kCheckOne,
                     .run = [&app](aa::TaskRun& run) { check_one(app, integer_field(run.args, "character_id")); },
                     .check_args = [](const boost::json::value& args) {
                       return require_integer_fields(args, {"character_id"});
                     },
                     .max_retries = 3,
                     .retry_pause = std::chrono::seconds(300),
                     .only_once = true});
}

}  // namespace aa::core
