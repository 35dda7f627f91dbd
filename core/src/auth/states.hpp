// States: the basic role of a user, decided by their main character's
// affiliation. States are tested by descending priority; the first that
// admits the main character (as a member character, corporation, alliance or
// faction, or because it is public) is the user's state. Users without a main
// character, and inactive users, are in Guest, which cannot be deleted or
// renamed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/models.hpp"

namespace aa::core {

constexpr const char* kGuestStateName = "Guest";

struct StateRecord {
  long long id = 0;
  std::string name;
  int priority = 0;
  bool is_public = false;
  std::vector<long long> member_characters;
  std::vector<long long> member_corporations;
  std::vector<long long> member_alliances;
  std::vector<long long> member_factions;
};

/// The state for a main character (none for users without one).
long long state_for(soci::session& sql, const std::optional<Character>& main_character, bool is_active);

struct StateChange {
  long long user_id = 0;
  long long old_state_id = 0;
  long long new_state_id = 0;
  bool changed() const { return old_state_id != new_state_id; }
};

/// Re-checks one user's state and stores it. Call inside the transaction
/// of whatever changed (login, main change, activation, deactivation).
StateChange update_user_state(soci::session& sql, long long user_id);
/// Re-checks every user in one go. The daemon does this in batched tasks
/// instead (allianceauth.authentication.tasks.update_all_states), so a
/// state edit does not hold a transaction over every user.
std::vector<StateChange> update_all_user_states(soci::session& sql);

std::vector<StateRecord> list_states(soci::session& sql);
std::optional<StateRecord> load_state(soci::session& sql, long long state_id);

/// Creates or updates a state with its members. Rejects, with
/// std::invalid_argument naming the value: an empty or over-long name, a
/// name or priority another state has, renaming Guest, and members that
/// are not known EVE entities. Members are replaced as a whole. Users are
/// not re-checked here: after the commit, emit Signal::state_rules_changed,
/// and core re-checks every user in batched tasks.
void save_state(soci::session& sql, StateRecord& state);
/// Deletes a state and moves each of its users to the state they match
/// now (Guest when no other matches). Returns one change per such user,
/// from the deleted state, for Signal::user_state_changed. Guest cannot be
/// deleted.
std::vector<StateChange> delete_state(soci::session& sql, long long state_id);

}  // namespace aa::core
