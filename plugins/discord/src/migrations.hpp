// The Discord service's tables.
#pragma once

#include <vector>

#include "aa/db.hpp"

namespace discord_service {

/// One row per user with a linked Discord account, as upstream's DiscordUser.
inline constexpr const char* kUserTable = "discord_users";
/// OAuth2 state values of link flows in progress.
inline constexpr const char* kOAuthStateTable = "discord_oauth_states";
/// Role names Discord rejected, per group or state (rejected_roles.hpp).
inline constexpr const char* kRejectedRoleTable = "discord_rejected_roles";

/// Roles above the bot's highest role that superusers were notified of
/// (roles_above_bot.hpp).
inline constexpr const char* kRoleAboveBotTable = "discord_roles_above_bot";

std::vector<aa::Migration> migrations();

}  // namespace discord_service
