// Roles that sit at or above the bot's highest role, which Discord lets the
// bot neither give nor take (403 code 50013). Role sync leaves them as they
// are and updates the other roles. One row per such role records that the
// superusers were notified, so they get one notice per role, not one per
// member or per run, until the role sits below the bot again.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <vector>

#include "aa/discord.hpp"
#include "service.hpp"

namespace discord_service {

/// Reads the position of the bot's highest role in `guild_roles`. Returns
/// nothing when reading the bot's roles fails (logged), which leaves the
/// check to Discord's 50013 response.
std::optional<int> read_bot_position(Shared& shared, const std::vector<aa::discord::Role>& guild_roles,
                                     bool use_cache);

/// Logs that role sync left `blocked` as they are for the user and notifies
/// the superusers about each role that has no row yet. A failed notification
/// is logged, not raised.
void report_roles_above_bot(Shared& shared, soci::session& sql, long long user_id,
                            const std::vector<aa::discord::Role>& blocked);

/// Deletes the rows of roles that now sit below the bot or no longer
/// exist, so the superusers are notified again when such a role rises
/// above the bot.
void forget_roles_below_bot(soci::session& sql, const std::vector<aa::discord::Role>& guild_roles,
                            int bot_position);

}  // namespace discord_service
