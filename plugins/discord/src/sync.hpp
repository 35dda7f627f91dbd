// Bringing a linked member in line with Auth: roles, nickname and the
// stored username, as upstream's DiscordUser.update_groups,
// update_nickname and update_username. They run in tasks: each blocks on
// Discord and its rate limits.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "service.hpp"

namespace discord_service {

enum class SyncOutcome {
  updated,
  /// Nothing to change, or nickname sync is off.
  unchanged,
  /// The user has no linked Discord account.
  not_linked,
  /// The member left the guild; the link was deleted, as upstream does.
  left_guild,
  /// The auth user was deleted; the member was removed and the link deleted.
  user_deleted,
};

/// Each throws aa::TaskRetry when Discord's rate limit needs a longer wait
/// than the client sleeps through, and std::runtime_error naming the user
/// and Discord's error for any other failure, so the task retries.
SyncOutcome update_groups(Shared& shared, soci::session& sql, long long user_id);
SyncOutcome update_nickname(Shared& shared, soci::session& sql, long long user_id);
SyncOutcome update_username(Shared& shared, soci::session& sql, long long user_id);

/// Whether update_groups would change the roles of the user's member, whose
/// current role ids are `current`, judged against `guild_roles` without any
/// Discord call. A wanted role missing from `guild_roles` counts as a change
/// while role creation is on, since only update_groups creates roles, unless
/// Discord rejected that name before (rejected_roles.hpp). A role at or
/// above `bot_position`, the bot's highest role, counts as no change,
/// because update_groups leaves it as it is (roles_above_bot.hpp).
bool roles_differ(Shared& shared, soci::session& sql, long long user_id,
                  const std::vector<aa::discord::Snowflake>& current,
                  const std::vector<aa::discord::Role>& guild_roles, std::optional<int> bot_position);

/// The member's nickname: the Discord name format of the user's state
/// ("{character_name}" unless an admin set one), sanitized and cut to 32
/// characters as Discord requires. The main character's name when the
/// format gives no visible character (logged). Nothing when name sync is
/// off, the user has no main character, or the stored format is unusable
/// (logged).
std::optional<std::string> nickname_for(Shared& shared, const aa::User& user);

/// Every user with a linked Discord account.
std::vector<long long> linked_user_ids(soci::session& sql);

}  // namespace discord_service
