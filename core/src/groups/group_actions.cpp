#include "groups/group_actions.hpp"

#include <algorithm>
#include <map>

#include "auth/accounts.hpp"
#include "web/i18n.hpp"

namespace aa::core::groups {
namespace {

ActionResult result(Outcome outcome, const char* message, const std::string& group_name = {},
                    const std::string& username = {}) {
  return {outcome, message, group_name, username};
}

bool state_allowed(const Group& group, long long state_id) {
  return group.state_ids.empty() ||
         std::find(group.state_ids.begin(), group.state_ids.end(), state_id) != group.state_ids.end();
}

void log_entry(soci::session& sql, long long group_id, long long request_id, LogType type, LogAction action,
               long long requestor_id, long long actor_id) {
  AuditEntry entry;
  entry.group_id = group_id;
  entry.request_id = request_id;
  entry.type = type;
  entry.action = action;
  entry.requestor_id = requestor_id;
  entry.actor_id = actor_id;
  add_audit_entry(sql, entry);
}

// The groups whose requests `manager` may act on, by id, with their settings.
std::map<long long, Group> changeable_groups(soci::session& sql, const Manager& manager) {
  std::map<long long, Group> groups;
  if (!manager.any()) return groups;
  for (auto& group : list_groups(sql)) {
    if (manager.can_change(group)) groups.emplace(group.id, std::move(group));
  }
  return groups;
}

}  // namespace

bool Manager::can_view(long long group_id) const {
  return all_groups || std::binary_search(led_group_ids.begin(), led_group_ids.end(), group_id);
}

bool Manager::can_change(const Group& group) const {
  if (!can_view(group.id)) return false;
  return !group.restricted || is_superuser;
}

Manager manager_for(soci::session& sql, const User& user, bool has_group_management) {
  Manager manager;
  manager.user_id = user.id;
  if (!user.is_active) return manager;
  manager.is_superuser = user.is_superuser;
  manager.all_groups = user.is_superuser || has_group_management;
  manager.led_group_ids = led_group_ids(sql, user.id);
  return manager;
}

bool may_join(const Group& group, const User& user, bool can_request) {
  if (!user.is_active || group.internal) return false;
  if (!state_allowed(group, user.state_id)) return false;
  return group.is_public || can_request;
}

std::vector<Group> groups_for_user(soci::session& sql, const User& user, bool can_request) {
  std::vector<Group> shown;
  for (auto& group : list_groups(sql)) {
    bool member = is_member(sql, user.id, group.id);
    if (!member) {
      // list_groups leaves the allowed states empty; load them only for
      // the groups that could be listed.
      if (group.internal || group.hidden) continue;
      auto full = load_group(sql, group.id);
      if (!full || !may_join(*full, user, can_request)) continue;
    }
    shown.push_back(std::move(group));
  }
  return shown;
}

ActionResult request_join(soci::session& sql, const User& user, bool can_request, long long group_id,
                          std::vector<SignalEvent>& events) {
  auto group = load_group(sql, group_id);
  if (!group) return result(Outcome::not_found, gettext_noop("There is no group with this id."));
  if (!may_join(*group, user, can_request)) {
    return result(Outcome::forbidden, gettext_noop("You cannot join the group {group}."), group->name);
  }
  if (is_member(sql, user.id, group_id)) {
    return result(Outcome::unchanged, gettext_noop("You are already a member of {group}."), group->name);
  }
  if (find_request(sql, user.id, group_id)) {
    return result(Outcome::unchanged, gettext_noop("You already have a pending request for {group}."), group->name);
  }

  if (group->open) {
    add_member(sql, group_id, user.id, events);
    log_entry(sql, group_id, 0, LogType::join, LogAction::accept, user.id, user.id);
    return result(Outcome::done, gettext_noop("You joined {group}."), group->name);
  }
  insert_request(sql, user.id, group_id, false);
  return result(Outcome::pending, gettext_noop("Applied to the group {group}; a group manager will review it."),
                group->name);
}

ActionResult request_leave(soci::session& sql, const User& user, long long group_id, const RequestSettings& settings,
                           std::vector<SignalEvent>& events) {
  auto group = load_group(sql, group_id);
  if (!group) return result(Outcome::not_found, gettext_noop("There is no group with this id."));
  if (!is_member(sql, user.id, group_id)) {
    return result(Outcome::unchanged, gettext_noop("You are not a member of {group}."), group->name);
  }
  if (group->internal) {
    return result(Outcome::forbidden, gettext_noop("You cannot leave the group {group}."), group->name);
  }
  if (find_request(sql, user.id, group_id)) {
    return result(Outcome::unchanged, gettext_noop("You already have a pending request for {group}."), group->name);
  }

  if (group->open || settings.auto_leave) {
    remove_member(sql, group_id, user.id, events);
    log_entry(sql, group_id, 0, LogType::leave, LogAction::accept, user.id, user.id);
    return result(Outcome::done, gettext_noop("You left {group}."), group->name);
  }
  insert_request(sql, user.id, group_id, true);
  return result(Outcome::pending, gettext_noop("Applied to leave the group {group}; a group manager will review it."),
                group->name);
}

ActionResult process_request(soci::session& sql, const Manager& manager, long long request_id, bool accept,
                             std::vector<SignalEvent>& events) {
  auto request = load_request(sql, request_id);
  if (!request) {
    return result(Outcome::already_done,
                  gettext_noop("This request was already processed or withdrawn; the list below is up to date."));
  }
  auto group = load_group(sql, request->group_id);
  if (!group || !manager.can_change(*group)) {
    return result(Outcome::forbidden, gettext_noop("You cannot manage requests for {group}."), request->group_name);
  }
  // As upstream, a join is accepted only while the requester may still join:
  // since the request, the group may have become internal or stopped
  // allowing the requester's state.
  if (accept && !request->leave) {
    auto requester = load_user(sql, request->user_id);
    if (!requester || !may_join(*group, *requester, true)) {
      return result(Outcome::forbidden,
                    gettext_noop("{user} can no longer join {group}: the group is internal or does not allow their "
                                 "state. Reject the request instead."),
                    request->group_name, request->username);
    }
  }

  // The delete decides which of two managers acting at once wins: the
  // database lets only one of them remove the row.
  if (!delete_request(sql, request_id)) {
    return result(Outcome::already_done,
                  gettext_noop("This request was already processed or withdrawn; the list below is up to date."));
  }
  if (accept && !request->leave) add_member(sql, request->group_id, request->user_id, events);
  if (accept && request->leave) remove_member(sql, request->group_id, request->user_id, events);
  log_entry(sql, request->group_id, request_id, request->leave ? LogType::leave : LogType::join,
            accept ? LogAction::accept : LogAction::reject, request->user_id, manager.user_id);

  const char* message = nullptr;
  if (request->leave) {
    message = accept ? gettext_noop("Accepted the request of {user} to leave {group}.")
                     : gettext_noop("Rejected the request of {user} to leave {group}.");
  } else {
    message = accept ? gettext_noop("Accepted the request of {user} to join {group}.")
                     : gettext_noop("Rejected the request of {user} to join {group}.");
  }
  return result(Outcome::done, message, request->group_name, request->username);
}

ActionResult remove_by_manager(soci::session& sql, const Manager& manager, long long group_id, long long user_id,
                               std::vector<SignalEvent>& events) {
  auto group = load_group(sql, group_id);
  if (!group) return result(Outcome::not_found, gettext_noop("There is no group with this id."));
  if (!manager.can_change(*group)) {
    return result(Outcome::forbidden, gettext_noop("You cannot remove members of {group}."), group->name);
  }
  if (!remove_member(sql, group_id, user_id, events)) {
    return result(Outcome::not_found, gettext_noop("The user is not a member of {group}."), group->name);
  }
  log_entry(sql, group_id, 0, LogType::removed, LogAction::removed, user_id, manager.user_id);

  std::string username;
  sql << "SELECT username FROM users WHERE id = :id", soci::use(user_id), soci::into(username);
  return result(Outcome::done, gettext_noop("Removed {user} from {group}."), group->name, username);
}

std::vector<GroupRequest> actionable_requests(soci::session& sql, const Manager& manager) {
  auto groups = changeable_groups(sql, manager);
  if (groups.empty()) return {};
  RequestScope scope;
  for (const auto& [id, group] : groups) scope.group_ids.push_back(id);
  return list_requests(sql, scope);
}

int count_actionable_requests(soci::session& sql, const Manager& manager) {
  auto groups = changeable_groups(sql, manager);
  if (groups.empty()) return 0;
  RequestScope scope;
  for (const auto& [id, group] : groups) scope.group_ids.push_back(id);
  return count_requests(sql, scope);
}

}  // namespace aa::core::groups
