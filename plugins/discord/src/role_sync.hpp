// The rules for the roles of a member, as upstream's Discord service has them:
// one role per group the user is in and one for their state, plus every
// role Auth does not manage. Pure functions, so the rules are tested alone.
#pragma once

#include <optional>
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

/// The position of the bot's highest role: the highest position in
/// `guild_roles` among `bot_role_ids`, or 0 (the @everyone role) when none
/// of them is in the list.
int highest_position(const std::vector<aa::discord::Role>& guild_roles,
                     const std::vector<aa::discord::Snowflake>& bot_role_ids);

/// True when `role` sits at or above the bot's highest role, at
/// `bot_position`, so Discord rejects giving or taking it with 403 code
/// 50013. False while the bot's position is unknown (nullopt), which leaves
/// the check to Discord.
bool is_above_bot(const aa::discord::Role& role, std::optional<int> bot_position);

/// The member's new role list: the roles of `wanted` plus every current
/// role that Auth must keep, that is managed roles (Nitro boosts, bots),
/// roles whose name is reserved (compared without case) and roles above the
/// bot, in the order of `current` first. A wanted role above the bot is
/// left out unless the member has it already.
std::vector<aa::discord::Snowflake> member_role_ids(const std::vector<aa::discord::Snowflake>& current,
                                                    const std::vector<aa::discord::Role>& guild_roles,
                                                    const std::vector<aa::discord::Role>& wanted,
                                                    const std::set<std::string>& reserved_folded,
                                                    std::optional<int> bot_position = std::nullopt);

/// The roles that member_role_ids leaves as they are only because they sit
/// above the bot: wanted roles the member lacks and current roles that Auth
/// would take. Empty while the bot's position is unknown.
std::vector<aa::discord::Role> roles_blocked_by_bot(const std::vector<aa::discord::Snowflake>& current,
                                                    const std::vector<aa::discord::Role>& guild_roles,
                                                    const std::vector<aa::discord::Role>& wanted,
                                                    const std::set<std::string>& reserved_folded,
                                                    std::optional<int> bot_position);

/// The reserved names through aa::text::fold_case, for the functions above.
std::set<std::string> fold_all(const std::vector<std::string>& names);

}  // namespace discord_service
