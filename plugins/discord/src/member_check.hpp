// The first step of the bulk Discord tasks (update_all_groups,
// update_all_nicknames, update_all_usernames): read the guild's member
// list, 1,000 members a call, and find the linked users whose member
// differs from what Auth wants. Upstream reads or changes each member on
// its own instead. For 5,000 users that already match, that is 5,000 calls:
// 17 minutes at the 5 reads a second Alliance Auth recorded, or 83 minutes
// at its 10 changes per 10 seconds. Here it is one call per 1,000 members.
#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <vector>

#include "service.hpp"

namespace discord_service {

/// The part of a member a bulk task compares.
enum class MemberAspect { roles, nickname, username };

struct MemberCheck {
  /// Linked users to run the one-user task for: a member that differs, a
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

/// Compares `aspect` of every linked user's member; `task` names the bulk
/// task in logs and errors. Throws aa::TaskRetry when Discord's rate limit
/// needs a longer wait than the client sleeps through, and
/// std::runtime_error for other failures, so the task retries. A rejected
/// list (ErrorKind::forbidden) is logged and every linked user is
/// returned, as upstream updates them all.
MemberCheck users_to_update(Shared& shared, soci::session& sql, MemberAspect aspect, const char* task);

}  // namespace discord_service
