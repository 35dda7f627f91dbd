#include "auth/states.hpp"

#include <stdexcept>

#include "auth/accounts.hpp"
#include "db/database.hpp"

namespace aa::core {
namespace {

long long guest_state_id(soci::session& sql) {
  long long id = 0;
  // SOCI runs the statement when the full expression ends, after temporaries
  // made inside it are gone, so the bound name must be a named variable.
  const std::string guest_name = kGuestStateName;
  sql << "SELECT id FROM states WHERE name = :name", soci::use(guest_name), soci::into(id);
  if (!sql.got_data()) throw std::runtime_error("the Guest state is missing; run `allianceauth migrate`");
  return id;
}

std::vector<long long> member_ids(soci::session& sql, const std::string& table, const std::string& column,
                                  long long state_id) {
  std::vector<long long> ids;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT " + column + " FROM " + table + " WHERE state_id = :id ORDER BY " + column,
       soci::use(state_id));
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return ids;
}

// Checks that every id exists in `entity_table` before it is referenced.
void require_known(soci::session& sql, const std::string& entity_table, const std::string& column,
                   const std::vector<long long>& ids, const std::string& what) {
  for (long long id : ids) {
    int count = 0;
    sql << "SELECT COUNT(*) FROM " + entity_table + " WHERE " + column + " = :id", soci::use(id), soci::into(count);
    if (count == 0) {
      throw std::invalid_argument(what + " " + std::to_string(id) +
                                  " is not known yet; it is added when a character of it logs in or is looked up");
    }
  }
}

void replace_members(soci::session& sql, const std::string& table, const std::string& column, long long state_id,
                     const std::vector<long long>& ids) {
  sql << "DELETE FROM " + table + " WHERE state_id = :id", soci::use(state_id);
  for (long long id : ids) {
    sql << "INSERT INTO " + table + " (state_id, " + column + ") VALUES (:state, :member)", soci::use(state_id),
        soci::use(id);
  }
}

}  // namespace

long long state_for(soci::session& sql, const std::optional<Character>& main, bool is_active) {
  if (!is_active || !main) return guest_state_id(sql);

  long long character = main->character_id;
  long long corporation = main->corporation_id;
  // Missing alliance or faction ids become -1, which matches no member row.
  long long alliance = main->alliance_id.value_or(-1);
  long long faction = main->faction_id.value_or(-1);
  long long state_id = 0;
  sql << "SELECT s.id FROM states s WHERE s.public = 1"
         " OR EXISTS (SELECT 1 FROM state_member_characters m WHERE m.state_id = s.id AND m.character_id = :c)"
         " OR EXISTS (SELECT 1 FROM state_member_corporations m WHERE m.state_id = s.id AND m.corporation_id = :corp)"
         " OR EXISTS (SELECT 1 FROM state_member_alliances m WHERE m.state_id = s.id AND m.alliance_id = :a)"
         " OR EXISTS (SELECT 1 FROM state_member_factions m WHERE m.state_id = s.id AND m.faction_id = :f)"
         " ORDER BY s.priority DESC LIMIT 1",
      soci::use(character), soci::use(corporation), soci::use(alliance), soci::use(faction), soci::into(state_id);
  if (!sql.got_data()) return guest_state_id(sql);
  return state_id;
}

StateChange update_user_state(soci::session& sql, long long user_id) {
  auto user = load_user(sql, user_id);
  if (!user) throw std::invalid_argument("no user with id " + std::to_string(user_id));
  StateChange change{user_id, user->state_id, state_for(sql, user->main_character, user->is_active)};
  if (change.changed()) {
    sql << "UPDATE user_profiles SET state_id = :state WHERE user_id = :id", soci::use(change.new_state_id),
        soci::use(user_id);
    bump_auth_version(sql);
  }
  return change;
}

std::vector<StateChange> update_all_user_states(soci::session& sql) {
  std::vector<long long> user_ids;
  soci::rowset<soci::row> rows = sql.prepare << "SELECT user_id FROM user_profiles ORDER BY user_id";
  for (const auto& row : rows) user_ids.push_back(row_int(row, 0));

  std::vector<StateChange> changes;
  for (long long id : user_ids) {
    auto change = update_user_state(sql, id);
    if (change.changed()) changes.push_back(change);
  }
  return changes;
}

std::vector<StateRecord> list_states(soci::session& sql) {
  std::vector<StateRecord> states;
  std::vector<long long> ids;
  soci::rowset<soci::row> rows = sql.prepare << "SELECT id FROM states ORDER BY priority DESC";
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  for (long long id : ids) states.push_back(*load_state(sql, id));
  return states;
}

std::optional<StateRecord> load_state(soci::session& sql, long long state_id) {
  StateRecord state;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, name, priority, public FROM states WHERE id = :id", soci::use(state_id));
  bool found = false;
  for (const auto& row : rows) {
    state.id = row_int(row, 0);
    state.name = row_string(row, 1);
    state.priority = static_cast<int>(row_int(row, 2));
    state.is_public = row_int(row, 3) != 0;
    found = true;
  }
  if (!found) return std::nullopt;
  state.member_characters = member_ids(sql, "state_member_characters", "character_id", state_id);
  state.member_corporations = member_ids(sql, "state_member_corporations", "corporation_id", state_id);
  state.member_alliances = member_ids(sql, "state_member_alliances", "alliance_id", state_id);
  state.member_factions = member_ids(sql, "state_member_factions", "faction_id", state_id);
  return state;
}

void save_state(soci::session& sql, StateRecord& state) {
  if (state.name.empty() || state.name.size() > 32) {
    throw std::invalid_argument("state name '" + state.name + "' must be 1 to 32 characters long");
  }
  long long other = 0;
  sql << "SELECT id FROM states WHERE name = :name AND id <> :id", soci::use(state.name), soci::use(state.id),
      soci::into(other);
  if (sql.got_data()) throw std::invalid_argument("a state named '" + state.name + "' already exists");
  sql << "SELECT id FROM states WHERE priority = :priority AND id <> :id", soci::use(state.priority),
      soci::use(state.id), soci::into(other);
  if (sql.got_data()) {
    throw std::invalid_argument("another state already has priority " + std::to_string(state.priority) +
                                "; priorities must be unique");
  }
  if (state.id != 0) {
    auto existing = load_state(sql, state.id);
    if (!existing) throw std::invalid_argument("no state with id " + std::to_string(state.id));
    if (existing->name == kGuestStateName && state.name != kGuestStateName) {
      throw std::invalid_argument("the Guest state cannot be renamed");
    }
  }
  require_known(sql, "eve_characters", "character_id", state.member_characters, "character");
  require_known(sql, "eve_corporations", "corporation_id", state.member_corporations, "corporation");
  require_known(sql, "eve_alliances", "alliance_id", state.member_alliances, "alliance");
  require_known(sql, "eve_factions", "faction_id", state.member_factions, "faction");

  int is_public = state.is_public ? 1 : 0;
  if (state.id == 0) {
    sql << "INSERT INTO states (name, priority, public) VALUES (:name, :priority, :public)", soci::use(state.name),
        soci::use(state.priority), soci::use(is_public);
    sql << "SELECT id FROM states WHERE name = :name", soci::use(state.name), soci::into(state.id);
  } else {
    sql << "UPDATE states SET name = :name, priority = :priority, public = :public WHERE id = :id",
        soci::use(state.name), soci::use(state.priority), soci::use(is_public), soci::use(state.id);
  }
  replace_members(sql, "state_member_characters", "character_id", state.id, state.member_characters);
  replace_members(sql, "state_member_corporations", "corporation_id", state.id, state.member_corporations);
  replace_members(sql, "state_member_alliances", "alliance_id", state.id, state.member_alliances);
  replace_members(sql, "state_member_factions", "faction_id", state.id, state.member_factions);
  bump_auth_version(sql);
}

std::vector<StateChange> delete_state(soci::session& sql, long long state_id) {
  auto state = load_state(sql, state_id);
  if (!state) throw std::invalid_argument("no state with id " + std::to_string(state_id));
  if (state->name == kGuestStateName) throw std::invalid_argument("the Guest state cannot be deleted");

  std::vector<long long> user_ids;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT user_id FROM user_profiles WHERE state_id = :id ORDER BY user_id", soci::use(state_id));
  for (const auto& row : rows) user_ids.push_back(row_int(row, 0));

  // Users of the deleted state move to Guest first so the profile's
  // reference stays valid, then on to the state they match now. Each
  // change starts from the deleted state, so the state-change rules (groups
  // the new state may not keep) run for these users too.
  long long guest = guest_state_id(sql);
  sql << "UPDATE user_profiles SET state_id = :guest WHERE state_id = :id", soci::use(guest), soci::use(state_id);
  sql << "DELETE FROM states WHERE id = :id", soci::use(state_id);
  std::vector<StateChange> changes;
  for (long long user_id : user_ids) {
    auto change = update_user_state(sql, user_id);
    changes.push_back({.user_id = user_id, .old_state_id = state_id, .new_state_id = change.new_state_id});
  }
  bump_auth_version(sql);
  return changes;
}

}  // namespace aa::core
