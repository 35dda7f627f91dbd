// Role names Discord rejected (400 with code 50035 Invalid Form Body), one
// row per group or state, and what role sync does about them. A row keeps
// role sync from creating the role again and superusers from being notified
// again, until the group or state has another name.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "aa/discord.hpp"
#include "role_sync.hpp"
#include "service.hpp"

namespace discord_service {

struct RejectedRole {
  bool from_state = false;
  /// The group's id, or the state's when from_state.
  long long source_id = 0;
  /// The role name Discord rejected.
  std::string role_name;
  /// Unix seconds.
  long long rejected_at = 0;
};

std::optional<RejectedRole> find_rejected_role(soci::session& sql, bool from_state, long long source_id);

/// Stores `rejected` unless its group or state has a row already. Returns
/// false when another task stored one first, so exactly one task notifies.
bool record_rejected_role(soci::session& sql, const RejectedRole& rejected);

/// Deletes the row of a group or state, e.g. once it has another name or
/// the group is deleted. Returns true when there was a row.
bool forget_rejected_role(soci::session& sql, bool from_state, long long source_id);

/// True for Discord's response to a role name it does not accept: 400 with
/// code 50035. Sending the same name again cannot succeed, so it is no
/// reason to retry.
bool is_rejected_name(const aa::discord::Error& error);

/// Logs the rejection of `role`'s name, records it and, in the one task
/// whose record was stored, notifies the superusers what to do. A failed
/// notification is logged, not raised.
void report_rejected_name(Shared& shared, soci::session& sql, long long user_id, const WantedRole& role,
                          const aa::discord::Error& error);

/// The role for a name Discord rejected before: one that someone created on
/// Discord meanwhile (found in `guild_roles`, and then the record goes),
/// else nothing. Sends no request.
std::optional<aa::discord::Role> role_after_rejection(Shared& shared, soci::session& sql, const WantedRole& wanted,
                                                      const RejectedRole& rejected,
                                                      const std::vector<aa::discord::Role>& guild_roles);

}  // namespace discord_service
