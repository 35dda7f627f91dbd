// The member side of groups: the groups page, and joining and leaving,
// also through the join link of a hidden group (/group/request_add/<id>),
// which shows a confirmation form because a GET must not change anything.
#include <map>
#include <set>

#include "auth/user_cache.hpp"
#include "groups/group_actions.hpp"
#include "groups/group_requests.hpp"
#include "groups/membership_rules.hpp"
#include "views/groups/group_views.hpp"
#include "views/groups/group_view_support.hpp"
#include "web/i18n.hpp"
#include "web/layout.hpp"

namespace aa::core::views::groups {
namespace {

namespace g = core::groups;

bool can_request(Request& request) { return request.has_perm(g::kRequestGroupsPermission); }

g::RequestSettings request_settings(CoreRequest& request) {
  return {.auto_leave = request.host().config().bool_or("groupmanagement.auto_leave", false)};
}

// The confirmation page of a join or leave link opened with GET.
Response confirm_page(CoreRequest& request, const g::Group& group, bool leave) {
  TemplateData data;
  data.set("TITLE", request.translate(leave ? gettext_noop("Leave group") : gettext_noop("Join group")));
  data.set("GROUP_NAME", group.name);
  data.set("DESCRIPTION", group.description);
  data.set("ACTION_URL", request.url_for(leave ? "groupmanagement:request_leave" : "groupmanagement:request_add",
                                         {{"group_id", std::to_string(group.id)}}));
  data.set("CANCEL_URL", request.url_for("groupmanagement:groups"));
  data.show_if(leave ? "LEAVE" : "JOIN", true);
  return request.render("groupmanagement/confirm.html", data);
}

Response join_or_leave(Request& request, bool leave) {
  auto& host = core(request);
  const auto& user = host.snapshot()->user;
  auto group_id = path_id(request, "group_id");
  if (!group_id) return render_error(host, 404);

  if (request.method() != Method::post) {
    auto group = g::load_group(request.db(), *group_id);
    if (!group) return render_error(host, 404, request.translate("There is no group with this id."));
    bool allowed = leave ? !group->internal && g::is_member(request.db(), user.id, group->id)
                         : g::may_join(*group, user, can_request(request));
    if (!allowed) return render_error(host, 403, request.translate("You cannot change your membership of this group."));
    return confirm_page(host, *group, leave);
  }

  auto settings = request_settings(host);
  bool may_request = can_request(request);
  auto result = run_change(host, [&](soci::session& sql, std::vector<SignalEvent>& events) {
    return leave ? g::request_leave(sql, user, *group_id, settings, events)
                 : g::request_join(sql, user, may_request, *group_id, events);
  });
  if (result.outcome == g::Outcome::pending) notify_leaders(host, *group_id, user.username, leave);
  return answer(host, result, request.url_for("groupmanagement:groups"));
}

}  // namespace

Response groups_page(Request& request) {
  auto& host = core(request);
  const auto* snapshot = host.snapshot();
  const auto& user = snapshot->user;
  auto& sql = request.db();

  // The snapshot is loaded at the current auth version, which every
  // membership change bumps, so it gives the user's groups without a query per row.
  std::set<long long> member_group_ids;
  for (const auto& group : snapshot->groups) member_group_ids.insert(group.id);

  std::map<long long, g::GroupRequest> pending;
  for (auto& pending_request : g::requests_of_user(sql, user.id)) {
    pending.emplace(pending_request.group_id, std::move(pending_request));
  }

  TemplateData data;
  data.set("TITLE", request.translate("Available groups"));
  auto groups = g::groups_for_user(sql, user, can_request(request));
  if (groups.empty()) data.show("NO_GROUPS");
  for (const auto& group : groups) {
    auto& row = data.add_row("GROUP");
    auto id = std::to_string(group.id);
    set_group_cells(request, row, group);
    bool member = member_group_ids.count(group.id) > 0;
    auto request_it = pending.find(group.id);
    if (request_it != pending.end()) {
      row.set("PENDING_TEXT", request.translate(request_it->second.leave ? gettext_noop("Leave request pending")
                                                                         : gettext_noop("Join request pending")));
      row.show("PENDING");
    } else if (member && !group.internal) {
      row.add_row("LEAVE").set("URL", request.url_for("groupmanagement:request_leave", {{"group_id", id}}));
    } else if (member) {
      row.show("MEMBER");
    } else {
      auto& join = row.add_row("JOIN");
      join.set("URL", request.url_for("groupmanagement:request_add", {{"group_id", id}}));
      join.set("LABEL", request.translate(group.open ? gettext_noop("Join") : gettext_noop("Request")));
    }
  }
  return request.render("groupmanagement/groups.html", data);
}

Response request_add(Request& request) { return join_or_leave(request, false); }

Response request_leave(Request& request) { return join_or_leave(request, true); }

}  // namespace aa::core::views::groups
