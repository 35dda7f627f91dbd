// The first step of discord.update_all_groups: read the guild's member list,
// 1,000 members a call, and find the linked users whose roles differ from
// what Auth wants. Upstream reads each member on its own instead. For 5,000
// users whose roles already match, that is 5,000 calls (17 minutes at the 5
// a second Alliance Auth recorded); here it is one call per 1,000 members.
#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <vector>

#include "service.hpp"

namespace discord_service {

struct GroupCheck {
  /// Linked users to run discord.update_groups for: roles that differ, a
  /// role still to create, or no member on the list (the task then
  /// confirms the departure and deletes the link).
  std::vector<long long> to_update;
  std::size_t linked = 0;
  /// Members on Discord's list, the bot and unlinked members included.
  std::size_t listed = 0;
  /// False when Discord rejected the list (no GUILD_MEMBERS intent), so
  /// every linked user is in to_update.
  bool compared = true;
};

/// Throws aa::TaskRetry when Discord's rate limit needs a longer wait than
/// the client sleeps through, and std::runtime_error for other failures,
/// so the task retries. A rejected list (ErrorKind::forbidden) is logged
/// and every linked user is returned, as upstream updates them all.
GroupCheck users_to_update(Shared& shared, soci::session& sql);

}  // namespace discord_service
