#include "timer_repository.hpp"

#include <soci/soci.h>

#include <stdexcept>
#include <string>

#include "migrations.hpp"

namespace timerboard {
namespace {

const std::string kColumns =
    "id, details, solar_system, planet_moon, structure, timer_type, objective, eve_time, important, corp_timer, "
    "user_id, character_id, character_name, corporation_id, corporation_name, created_at, updated_at";

// The visibility rule, with :viewer_corporation bound to the viewer's corporation.
const std::string kVisible = "(corp_timer = 0 OR corporation_id = :viewer_corporation)";

// Output variables for one row of kColumns. Typed into() converts on both
// backends, where row.get<T> would need the exact type each one reports.
struct TimerRow {
  Timer timer;
  int important = 0;
  int corp_timer = 0;
  long long user_id = 0;
  soci::indicator user_id_indicator = soci::i_null;

  void bind(soci::statement& statement) {
    statement.exchange(soci::into(timer.id));
    statement.exchange(soci::into(timer.details));
    statement.exchange(soci::into(timer.system));
    statement.exchange(soci::into(timer.planet_moon));
    statement.exchange(soci::into(timer.structure));
    statement.exchange(soci::into(timer.timer_type));
    statement.exchange(soci::into(timer.objective));
    statement.exchange(soci::into(timer.eve_time));
    statement.exchange(soci::into(important));
    statement.exchange(soci::into(corp_timer));
    statement.exchange(soci::into(user_id, user_id_indicator));
    statement.exchange(soci::into(timer.character_id));
    statement.exchange(soci::into(timer.character_name));
    statement.exchange(soci::into(timer.corporation_id));
    statement.exchange(soci::into(timer.corporation_name));
    statement.exchange(soci::into(timer.created_at));
    statement.exchange(soci::into(timer.updated_at));
  }

  Timer take() const {
    Timer out = timer;
    out.important = important != 0;
    out.corp_timer = corp_timer != 0;
    out.user_id = user_id_indicator == soci::i_ok ? std::optional<long long>(user_id) : std::nullopt;
    return out;
  }
};

// Runs "SELECT kColumns FROM the table WHERE `condition` ORDER BY `order`"
// with `bind_inputs` adding the use() elements, and collects every row.
template <typename BindInputs>
std::vector<Timer> select_timers(soci::session& sql, const std::string& condition, const std::string& order,
                                 BindInputs bind_inputs) {
  TimerRow row;
  soci::statement statement(sql);
  row.bind(statement);
  bind_inputs(statement);
  statement.alloc();
  statement.prepare("SELECT " + kColumns + " FROM " + kTimerTable + " WHERE " + condition +
                    (order.empty() ? "" : " ORDER BY " + order));
  statement.define_and_bind();

  std::vector<Timer> timers;
  if (statement.execute(true)) {
    do {
      timers.push_back(row.take());
    } while (statement.fetch());
  }
  return timers;
}

}  // namespace

void insert_timer(soci::session& sql, Timer& timer) {
  if (timer.character_id <= 0 || timer.corporation_id <= 0) {
    throw std::invalid_argument("timer creator needs a character and corporation id, got character " +
                                std::to_string(timer.character_id) + " and corporation " +
                                std::to_string(timer.corporation_id));
  }

  int important = timer.important ? 1 : 0;
  int corp_timer = timer.corp_timer ? 1 : 0;
  long long user_id = timer.user_id.value_or(0);
  soci::indicator user_id_indicator = timer.user_id ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO " + std::string(kTimerTable) +
             " (details, solar_system, planet_moon, structure, timer_type, objective, eve_time, important, "
             "corp_timer, user_id, character_id, character_name, corporation_id, corporation_name, created_at, "
             "updated_at) VALUES (:details, :solar_system, :planet_moon, :structure, :timer_type, :objective, "
             ":eve_time, :important, :corp_timer, :user_id, :character_id, :character_name, :corporation_id, "
             ":corporation_name, :created_at, :updated_at)",
      soci::use(timer.details), soci::use(timer.system), soci::use(timer.planet_moon), soci::use(timer.structure),
      soci::use(timer.timer_type), soci::use(timer.objective), soci::use(timer.eve_time), soci::use(important),
      soci::use(corp_timer), soci::use(user_id, user_id_indicator), soci::use(timer.character_id),
      soci::use(timer.character_name), soci::use(timer.corporation_id), soci::use(timer.corporation_name),
      soci::use(timer.created_at), soci::use(timer.updated_at);

  long long id = 0;
  if (!sql.get_last_insert_id(kTimerTable, id)) {
    throw std::runtime_error(std::string("the database did not report the id of the new row in ") + kTimerTable);
  }
  timer.id = id;
}

void update_timer(soci::session& sql, const Timer& timer, long long now) {
  int important = timer.important ? 1 : 0;
  int corp_timer = timer.corp_timer ? 1 : 0;
  sql << "UPDATE " + std::string(kTimerTable) +
             " SET details = :details, solar_system = :solar_system, planet_moon = :planet_moon, "
             "structure = :structure, timer_type = :timer_type, objective = :objective, eve_time = :eve_time, "
             "important = :important, corp_timer = :corp_timer, updated_at = :updated_at WHERE id = :id",
      soci::use(timer.details), soci::use(timer.system), soci::use(timer.planet_moon), soci::use(timer.structure),
      soci::use(timer.timer_type), soci::use(timer.objective), soci::use(timer.eve_time), soci::use(important),
      soci::use(corp_timer), soci::use(now), soci::use(timer.id);
}

bool delete_timer(soci::session& sql, long long id) {
  soci::statement statement =
      (sql.prepare << "DELETE FROM " + std::string(kTimerTable) + " WHERE id = :id", soci::use(id));
  statement.execute(true);
  return statement.get_affected_rows() > 0;
}

std::optional<Timer> find_timer(soci::session& sql, long long id, long long viewer_corporation_id) {
  auto timers = select_timers(sql, "id = :id AND " + kVisible, "", [&](soci::statement& statement) {
    statement.exchange(soci::use(id));
    statement.exchange(soci::use(viewer_corporation_id));
  });
  if (timers.empty()) return std::nullopt;
  return timers.front();
}

std::vector<Timer> upcoming_timers(soci::session& sql, long long viewer_corporation_id, long long now) {
  return select_timers(sql, "eve_time >= :now AND " + kVisible, "eve_time ASC, id ASC",
                       [&](soci::statement& statement) {
                         statement.exchange(soci::use(now));
                         statement.exchange(soci::use(viewer_corporation_id));
                       });
}

std::vector<Timer> past_timers(soci::session& sql, long long viewer_corporation_id, long long now, long long since) {
  return select_timers(sql, "eve_time >= :since AND eve_time < :now AND " + kVisible, "eve_time DESC, id DESC",
                       [&](soci::statement& statement) {
                         statement.exchange(soci::use(since));
                         statement.exchange(soci::use(now));
                         statement.exchange(soci::use(viewer_corporation_id));
                       });
}

long long forget_user(soci::session& sql, long long user_id) {
  soci::statement statement =
      (sql.prepare << "UPDATE " + std::string(kTimerTable) + " SET user_id = NULL WHERE user_id = :user_id",
       soci::use(user_id));
  statement.execute(true);
  return statement.get_affected_rows();
}

}  // namespace timerboard
