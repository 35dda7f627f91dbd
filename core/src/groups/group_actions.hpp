// What users and group managers do on the group pages: join and leave
// requests, approving and rejecting them, and removing members, with the
// rules that decide who may do what and the audit log entries they leave.
//
// Every function runs inside the caller's aa::WriteTransaction and appends
// the signals it causes to `events`, as the repository functions do (see
// group_repository.hpp). An outcome other than `done` or `pending` changes
// nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/models.hpp"
#include "aa/signals.hpp"
#include "groups/group_repository.hpp"
#include "groups/group_requests.hpp"

namespace aa::core::groups {

/// A user's group manager role: holders of auth.group_management and
/// superusers manage every group, leaders the groups they lead. Members of
/// restricted groups change only through superusers.
struct Manager {
  long long user_id = 0;
  bool is_superuser = false;
  bool all_groups = false;  ///< Holds auth.group_management or is a superuser.
  std::vector<long long> led_group_ids;  ///< Sorted.

  /// True when the user manages at least one group or holds the permission.
  bool any() const { return all_groups || !led_group_ids.empty(); }
  /// May see the group's members, requests and audit log.
  bool can_view(long long group_id) const;
  /// May approve or reject the group's requests and remove its members.
  bool can_change(const Group& group) const;
};

/// The manager role of `user`; `has_group_management` is whether they hold
/// auth.group_management (Request::has_perm, so inactive users hold none).
Manager manager_for(soci::session& sql, const User& user, bool has_group_management);

/// The group settings that change how requests work.
struct RequestSettings {
  bool auto_leave = false;  ///< groupmanagement.auto_leave: leaving needs no approval.
};

enum class Outcome {
  done,          ///< The change is made.
  pending,       ///< A request now waits for a manager.
  unchanged,     ///< Nothing to do: already a member, not a member, or a request is pending.
  not_found,     ///< No such group, request or member.
  forbidden,     ///< The user may not do this.
  already_done,  ///< Another manager processed the request first.
};

/// An outcome with a message id for the user ({group} and {user} are
/// filled by the caller with the group name and username).
struct ActionResult {
  Outcome outcome = Outcome::unchanged;
  const char* message = "";
  std::string group_name;
  std::string username;
};

/// True when `user` may join `group` at all: it is not internal, their state
/// is among its allowed states (or it allows every state), and it is public
/// or `can_request` (the user holds groupmanagement.request_groups).
bool may_join(const Group& group, const User& user, bool can_request);

/// The groups the groups page lists for `user`: groups they may join that
/// are not hidden, plus every group they are a member of.
std::vector<Group> groups_for_user(soci::session& sql, const User& user, bool can_request);

/// Joins an open group at once, or files a join request for a closed one.
ActionResult request_join(soci::session& sql, const User& user, bool can_request, long long group_id,
                          std::vector<SignalEvent>& events);
/// Leaves at once (open group, or auto_leave), or files a leave request.
/// Internal groups cannot be left by their members.
ActionResult request_leave(soci::session& sql, const User& user, long long group_id, const RequestSettings& settings,
                           std::vector<SignalEvent>& events);

/// Accepts or rejects a pending request and writes one audit entry. When
/// two managers process one request at once, the second gets
/// `already_done`; the unique request id in the audit log backs this.
ActionResult process_request(soci::session& sql, const Manager& manager, long long request_id, bool accept,
                             std::vector<SignalEvent>& events);

/// Removes a member on the membership page and writes an audit entry.
ActionResult remove_by_manager(soci::session& sql, const Manager& manager, long long group_id, long long user_id,
                               std::vector<SignalEvent>& events);

/// The pending requests `manager` may act on, oldest first.
std::vector<GroupRequest> actionable_requests(soci::session& sql, const Manager& manager);
/// Their number, for the menu badge.
int count_actionable_requests(soci::session& sql, const Manager& manager);

}  // namespace aa::core::groups
