// Group set-up for tests, written straight to the database: groups saved
// through the group repository, members added without the daemon, and the
// permission to request groups. None of these sends the signals that the
// pages send, so plugins see the changes only when one of their tasks runs.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "groups/group_repository.hpp"

namespace aa::test {

/// Saves `group` through the group repository, with the validation the
/// admin site runs, and returns it with its id. Fails the test when the
/// repository rejects a field.
core::groups::Group save_group(soci::session& sql, core::groups::Group group);

/// Saves a group that users see on the groups page (neither internal nor
/// hidden), whose join requests wait for one of `leader_ids` or a manager.
core::groups::Group visible_group(soci::session& sql, const std::string& name, std::vector<long long> leader_ids = {});

/// Saves a visible group, led by `leader_ids`, that accepts join requests
/// at once.
core::groups::Group open_group(soci::session& sql, const std::string& name, std::vector<long long> leader_ids = {});

/// Saves a visible, open and public group, which any user joins at once
/// without groupmanagement.request_groups.
core::groups::Group public_open_group(soci::session& sql, const std::string& name);

/// Adds the user to the group, as an import would, and bumps the auth data
/// version. Fails the test when the user is a member already.
void add_group_member(soci::session& sql, long long group_id, long long user_id);

/// Grants groupmanagement.request_groups to the Guest state, so that its
/// users may request groups that are not public. Users whom no other state
/// matches are Guests, as every character of the EVE emulator is on a new
/// instance.
void let_guests_request_groups(soci::session& sql);

/// Returns the id of the user's pending join or leave request for the
/// group, or 0 when there is none.
long long pending_request(soci::session& sql, long long user_id, long long group_id);

}  // namespace aa::test
