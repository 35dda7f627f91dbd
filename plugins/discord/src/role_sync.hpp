// The rules for the roles of a member, as upstream's Discord service has them:
// one role per group the user is in and one for their state, plus every
// role Auth does not manage. Pure functions, so the rules are tested alone.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "aa/discord.hpp"

namespace discord_service {

/// The role names a user should have: their groups' names and their
/// state's name, each cut to Discord's 100 characters, without names that
/// are reserved (compared without case) and without duplicates.
std::vector<std::string> wanted_role_names(const std::vector<std::string>& group_names, const std::string& state_name,
                                           const std::set<std::string>& reserved_lower_case);

/// The member's new role list: the roles of `wanted` plus every current
/// role that Auth must keep, that is managed roles (Nitro boosts, bots) and
/// roles whose name is reserved (compared without case), in the order of
/// `current` first.
std::vector<aa::discord::Snowflake> member_role_ids(const std::vector<aa::discord::Snowflake>& current,
                                                    const std::vector<aa::discord::Role>& guild_roles,
                                                    const std::vector<aa::discord::Role>& wanted,
                                                    const std::set<std::string>& reserved_lower_case);

/// ASCII lower case, as the reserved-name comparison needs.
std::string lower_case(std::string text);

}  // namespace discord_service
