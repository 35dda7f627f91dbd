// Role names Discord rejected (400 with code 50035 Invalid Form Body), one
// row per group or state. A row keeps role sync from creating the role again
// and superusers from being notified again, until the group or state has
// another name.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>

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

/// Deletes the row of a group or state, e.g. once it has another name.
void forget_rejected_role(soci::session& sql, bool from_state, long long source_id);

}  // namespace discord_service
