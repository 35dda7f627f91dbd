// The rules that take users out of groups without anyone asking: a user
// whose state a group does not allow leaves it, and a user who loses
// groupmanagement.request_groups leaves every group except public ones.
// Each function runs inside the caller's transaction and appends one
// user_groups_changed event per group left.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "aa/signals.hpp"

namespace aa::core::groups {

/// Approve and reject every request; see and manage every group's members.
inline constexpr const char* kGroupManagementPermission = "auth.group_management";
/// Join or request groups that are not public.
inline constexpr const char* kRequestGroupsPermission = "groupmanagement.request_groups";

/// True when the user holds `permission` now (superusers hold all, inactive
/// users none). False for an unknown user.
bool user_has_permission(soci::session& sql, long long user_id, std::string_view permission);
/// True when the group or state is granted `permission` directly.
bool group_grants(soci::session& sql, long long group_id, std::string_view permission);
bool state_grants(soci::session& sql, long long state_id, std::string_view permission);

/// Removes the user from every group that is not public, and deletes their
/// pending requests for such groups. Returns the number of groups left.
int remove_from_non_public_groups(soci::session& sql, long long user_id, std::vector<SignalEvent>& events);

/// Applies the permission-loss rule to a user who may just have lost
/// groupmanagement.request_groups: an active user who does not hold it now
/// leaves every non-public group. Returns the number of groups left.
///
/// Call it only for users who held the permission before the change: a
/// superuser can put a user without the permission into a group, and that
/// membership must survive unrelated changes.
int apply_request_groups_loss(soci::session& sql, long long user_id, std::vector<SignalEvent>& events);

/// Removes the user from every group whose allowed states do not include
/// `state_id`, and deletes their pending join requests for such groups.
/// Returns the number of groups left.
int remove_from_groups_closed_to_state(soci::session& sql, long long user_id, long long state_id,
                                       std::vector<SignalEvent>& events);

/// The usernames of the users in `user_ids` whose state is not in
/// `state_ids`; an empty `state_ids` allows every state.
std::vector<std::string> users_outside_states(soci::session& sql, const std::vector<long long>& user_ids,
                                              const std::vector<long long>& state_ids);

/// Removes an inactive user from every group, public ones too, and deletes
/// their pending requests, as upstream does when an account is deactivated.
int remove_from_all_groups(soci::session& sql, long long user_id, std::vector<SignalEvent>& events);

}  // namespace aa::core::groups
