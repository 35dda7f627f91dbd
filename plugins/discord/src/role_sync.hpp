// The rules for the roles of a member, as upstream's Discord service has them:
// one role per group the user is in and one for their state, plus every
// role Auth does not manage. Pure functions, so the rules are tested alone.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "aa/discord.hpp"
#include "aa/models.hpp"

namespace discord_service {

/// A role a user should have, and the group or state that gives it.
struct WantedRole {
  /// The group's or state's name after aa::discord::sanitize_role_name.
  std::string name;
  bool from_state = false;
  /// The id of the group, or of the state when from_state.
  long long source_id = 0;
  /// The group's or state's name as Auth stores it.
  std::string source_name;
};

/// The roles a user should have: one per group and one for the state,
/// named after them and cut to Discord's 100 characters, without names
/// that are reserved and without duplicates. `reserved_folded` contains the
/// reserved names through aa::text::fold_case, because reservations ignore
/// case. A state with id 0 gives no role.
std::vector<WantedRole> wanted_roles(const std::vector<aa::GroupRef>& groups, long long state_id,
                                     const std::string& state_name, const std::set<std::string>& reserved_folded);

/// The member's new role list: the roles of `wanted` plus every current
/// role that Auth must keep, that is managed roles (Nitro boosts, bots) and
/// roles whose name is reserved (compared without case), in the order of
/// `current` first.
std::vector<aa::discord::Snowflake> member_role_ids(const std::vector<aa::discord::Snowflake>& current,
                                                    const std::vector<aa::discord::Role>& guild_roles,
                                                    const std::vector<aa::discord::Role>& wanted,
                                                    const std::set<std::string>& reserved_folded);

/// The reserved names through aa::text::fold_case, for the functions above.
std::set<std::string> fold_all(const std::vector<std::string>& names);

}  // namespace discord_service
