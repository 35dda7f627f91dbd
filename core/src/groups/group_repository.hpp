// Groups with their group-management settings, leaders, allowed states and
// members: the repository behind the group pages and the group admin.
//
// Contract for every function that writes: it runs inside the caller's
// aa::WriteTransaction, marks cached auth data stale (bump_auth_version)
// when it changes groups or memberships, and appends the signals the change
// causes to `events`. The caller commits and then emits each event with
// App::emit, so core's reactions (state checks, permission loss) and the
// plugins see committed data:
//
//   std::vector<SignalEvent> events;
//   {
//     aa::WriteTransaction transaction(sql);
//     auto errors = groups::save_group(sql, group, translate, events);
//     if (!errors.empty()) return show_form(errors);  // rolled back, nothing saved
//     transaction.commit();
//   }
//   for (const auto& event : events) app.emit(event);
//
// Who may do what (staff versus superusers, restricted groups) is the
// caller's check; this layer enforces only what must always hold.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/models.hpp"
#include "aa/signals.hpp"
#include "groups/group_names.hpp"
#include "web/text.hpp"

namespace aa::core::groups {

/// Longest group description, in characters. Upstream has no limit; this
/// one keeps a pasted wall of text off the groups page.
inline constexpr std::size_t kMaxDescriptionLength = 2000;

/// A group and its group-management settings (upstream's Group + AuthGroup).
struct Group {
  long long id = 0;  ///< 0 for a group not saved yet.
  std::string name;
  std::string description;
  /// Users cannot see, join or request it; overrides hidden, open and public.
  bool internal = true;
  /// Not listed on the groups page; users join through the join link.
  bool hidden = true;
  /// Requests to join are accepted at once.
  bool open = false;
  /// Any user may join, without groupmanagement.request_groups, and users
  /// are not removed from it when they lose that permission.
  bool is_public = false;
  /// Only superusers may add or remove members in the admin and accept
  /// requests or remove members on the group management pages.
  bool restricted = false;
  /// Users who process this group's requests.
  std::vector<long long> leader_ids;
  /// Groups whose members process this group's requests.
  std::vector<long long> leader_group_ids;
  /// States whose users may join; empty means every state.
  std::vector<long long> state_ids;
  /// Filled by load_group and list_groups; ignored by save_group.
  int member_count = 0;
};

/// A member as the member lists show them.
struct Member {
  long long user_id = 0;
  std::string username;
  bool is_active = true;
  std::optional<Character> main_character;
};

/// The group with its leaders, leader groups, states and member count.
std::optional<Group> load_group(soci::session& sql, long long group_id);
/// Every group with its settings and member count, by name; leaders,
/// leader groups and states are left empty.
std::vector<Group> list_groups(soci::session& sql);
std::optional<long long> find_group_id(soci::session& sql, const std::string& name);

/// Checks every field of `group` as save_group would: "name" (see
/// group_name_problem; also taken by another group, or reserved),
/// "description" (at most kMaxDescriptionLength characters of valid UTF-8;
/// line breaks allowed), "leader_ids", "leader_group_ids" and "state_ids"
/// (every id must exist). Each message names the offending value.
FieldErrors validate_group(soci::session& sql, const Group& group, const text::Translate& translate);

/// Validates and inserts (id 0, setting `group.id`) or updates the group with
/// its leaders, leader groups and states, which replace the stored ones.
/// Returns the errors and writes nothing when there are any. When the
/// allowed states change, members whose state is no longer allowed are
/// removed (one user_groups_changed event each). Throws
/// std::invalid_argument for an id that does not exist.
FieldErrors save_group(soci::session& sql, Group& group, const text::Translate& translate,
                       std::vector<SignalEvent>& events);

/// Deletes the group with its memberships, permission grants, pending
/// requests, audit log, leaders and leader-group links (also where it leads
/// other groups). Members lose the group's permissions; those who lose
/// groupmanagement.request_groups by it leave their other non-public groups
/// too. Adds group_deleted to `events`, after the members' events. Returns
/// false when the group does not exist.
bool delete_group(soci::session& sql, long long group_id, std::vector<SignalEvent>& events);

/// The group's members by username.
std::vector<Member> list_members(soci::session& sql, long long group_id);
std::vector<long long> member_ids(soci::session& sql, long long group_id);
bool is_member(soci::session& sql, long long user_id, long long group_id);

/// Adds a member, whatever the group's settings; deletes the user's pending
/// join request for the group. Returns false when they were a member
/// already. Throws std::invalid_argument for an unknown user or group.
bool add_member(soci::session& sql, long long group_id, long long user_id, std::vector<SignalEvent>& events);
/// Removes a member and their pending leave request for the group. Returns
/// false when they were not a member.
bool remove_member(soci::session& sql, long long group_id, long long user_id, std::vector<SignalEvent>& events);

/// Makes `group_ids` the user's groups (the user admin's group field).
/// Throws std::invalid_argument naming an id that does not exist; then
/// nothing is changed. Returns true when anything changed.
bool replace_user_groups(soci::session& sql, long long user_id, const std::vector<long long>& group_ids,
                         std::vector<SignalEvent>& events);
/// Makes `user_ids` the group's members. Same rules as replace_user_groups.
bool replace_group_members(soci::session& sql, long long group_id, const std::vector<long long>& user_ids,
                           std::vector<SignalEvent>& events);

/// The ids of the groups the user leads: as a leader, or as a member of one
/// of the group's leader groups.
std::vector<long long> led_group_ids(soci::session& sql, long long user_id);
/// The active users who process the group's requests: its leaders and the
/// members of its leader groups.
std::vector<long long> approver_ids(soci::session& sql, long long group_id);

}  // namespace aa::core::groups
