// Group membership as the user admin edits it.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/signals.hpp"

namespace aa::core {

/// Makes the groups with ids `group_ids` (decimal text) the user's groups,
/// appending one user_groups_changed event per group joined or left.
/// Returns true when anything changed.
bool replace_user_groups(soci::session& sql, long long user_id, const std::vector<std::string>& group_ids,
                         std::vector<SignalEvent>& events);

/// True when going from `before` to `after` (group ids) adds or removes a
/// restricted group, which only superusers may do.
bool touches_restricted_group(soci::session& sql, const std::vector<std::string>& before,
                              const std::vector<std::string>& after);

}  // namespace aa::core
