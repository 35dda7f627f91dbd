// The group management pages: pending requests with accept and reject,
// the membership overview, a group's members with removal, and a group's
// request audit log. Holders of auth.group_management and superusers see
// every group, leaders only the groups they lead; anyone else gets 403.
#include <boost/url/url.hpp>

#include <algorithm>
#include <variant>

#include "groups/group_actions.hpp"
#include "groups/group_requests.hpp"
#include "views/groups/group_view_support.hpp"
#include "views/groups/group_views.hpp"
#include "web/i18n.hpp"
#include "web/layout.hpp"
#include "web/text.hpp"

namespace aa::core::views::groups {
namespace {

namespace g = core::groups;

/// Maximum length of an audit log search, in characters.
constexpr std::size_t kMaxSearchLength = 100;
constexpr int kAuditPageSize = 50;

const char* type_label(g::LogType type) {
  switch (type) {
    case g::LogType::join: return gettext_noop("Join");
    case g::LogType::leave: return gettext_noop("Leave");
    case g::LogType::removed: return gettext_noop("Removed");
  }
  return "";
}

const char* action_label(g::LogAction action) {
  switch (action) {
    case g::LogAction::accept: return gettext_noop("Accept");
    case g::LogAction::reject: return gettext_noop("Reject");
    case g::LogAction::removed: return gettext_noop("Removed");
  }
  return "";
}

Response forbidden(CoreRequest& request) {
  return render_error(request, 403, request.translate("You do not manage any group."));
}

// Adds the section of one request table (join or leave requests): its
// count, its table id and a REQUEST row for each request of that kind.
void add_request_table(Request& request, const std::vector<g::GroupRequest>& requests, bool leave,
                       const std::string& section, const std::string& table_id, TemplateData& data) {
  auto& table = data.add_row(section);
  table.set("TABLE_ID", table_id);
  long long count = 0;
  for (const auto& pending : requests) {
    if (pending.leave != leave) continue;
    ++count;
    auto& row = table.add_row("REQUEST");
    auto id = std::to_string(pending.id);
    row.set("USERNAME", pending.username);
    row.set("MAIN_CHARACTER", pending.main_character_name);
    row.set("CORPORATION", pending.corporation_name);
    row.set("GROUP_NAME", pending.group_name);
    row.set("CREATED", text::format_eve_time(pending.created));
    row.set("ACCEPT_URL", request.url_for("groupmanagement:accept_request", {{"request_id", id}}));
    row.set("REJECT_URL", request.url_for("groupmanagement:reject_request", {{"request_id", id}}));
  }
  table.set("COUNT", count);
}

// The group in the path if the manager may see it; otherwise the error page
// to return.
std::variant<g::Group, Response> viewable_group(CoreRequest& request, const g::Manager& manager) {
  if (!manager.any()) return forbidden(request);
  auto group_id = path_id(request, "group_id");
  if (!group_id) return render_error(request, 404);
  if (!manager.can_view(*group_id)) {
    return render_error(request, 403, request.translate("You cannot manage this group."));
  }
  auto group = g::load_group(request.db(), *group_id);
  if (!group) return render_error(request, 404, request.translate("There is no group with this id."));
  return std::move(*group);
}

}  // namespace

Response management(Request& request) {
  auto& host = core(request);
  auto manager = manager_of(request);
  if (!manager.any()) return forbidden(host);

  auto requests = g::actionable_requests(request.db(), manager);
  bool auto_leave = host.host().config().bool_or("groupmanagement.auto_leave", false);
  TemplateData data;
  data.set("TITLE", request.translate("Group Management"));
  add_request_table(request, requests, false, "JOIN_REQUESTS", "join-requests", data);
  long long leave_count = std::count_if(requests.begin(), requests.end(), [](const auto& r) { return r.leave; });
  // With auto_leave, members leave without a request, so the leave list is
  // shown only while requests from before the setting are left.
  if (!auto_leave || leave_count > 0) {
    add_request_table(request, requests, true, "LEAVE_REQUESTS", "leave-requests", data);
  }
  data.set("MEMBERSHIP_URL", request.url_for("groupmanagement:membership"));
  return request.render("groupmanagement/management.html", data);
}

Response process_request(Request& request, bool accept) {
  auto& host = core(request);
  auto manager = manager_of(request);
  if (!manager.any()) return forbidden(host);
  auto request_id = path_id(request, "request_id");
  if (!request_id) return render_error(host, 404);

  auto result = run_change(host, [&](soci::session& sql, std::vector<SignalEvent>& events) {
    return g::process_request(sql, manager, *request_id, accept, events);
  });
  return answer(host, result, request.url_for("groupmanagement:management"));
}

Response membership(Request& request) {
  auto& host = core(request);
  auto manager = manager_of(request);
  if (!manager.any()) return forbidden(host);

  TemplateData data;
  data.set("TITLE", request.translate("Group Membership"));
  data.set("REQUESTS_URL", request.url_for("groupmanagement:management"));
  // The table head that groups.html shares has this column only here.
  data.show("MEMBER_COUNT_COLUMN");
  int shown = 0;
  for (const auto& group : g::list_groups(request.db())) {
    // Managers of every group see the groups users can join; leaders see
    // the groups they lead, internal ones too.
    bool led = std::binary_search(manager.led_group_ids.begin(), manager.led_group_ids.end(), group.id);
    if (!led && (!manager.all_groups || group.internal)) continue;
    auto& row = data.add_row("GROUP");
    auto id = std::to_string(group.id);
    set_group_cells(request, row, group);
    row.show_if("RESTRICTED", group.restricted);
    row.set("MEMBER_COUNT", group.member_count);
    row.set("MEMBERS_URL", request.url_for("groupmanagement:membership_list", {{"group_id", id}}));
    row.set("AUDIT_URL", request.url_for("groupmanagement:audit_log", {{"group_id", id}}));
    ++shown;
  }
  if (shown == 0) data.show("NO_GROUPS");
  return request.render("groupmanagement/membership.html", data);
}

Response membership_list(Request& request) {
  auto& host = core(request);
  auto manager = manager_of(request);
  auto found = viewable_group(host, manager);
  if (auto* error = std::get_if<Response>(&found)) return std::move(*error);
  const auto& group = std::get<g::Group>(found);

  TemplateData data;
  data.set("TITLE", text::fill(request.translate("{group} Members"), {{"group", group.name}}));
  data.set("GROUP_NAME", group.name);
  data.set("MEMBERSHIP_URL", request.url_for("groupmanagement:membership"));
  data.set("AUDIT_URL", request.url_for("groupmanagement:audit_log", {{"group_id", std::to_string(group.id)}}));
  bool can_change = manager.can_change(group);
  data.show_if("RESTRICTED_NOTE", group.restricted && !can_change);
  auto members = g::list_members(request.db(), group.id);
  if (members.empty()) data.show("NO_MEMBERS");
  for (const auto& member : members) {
    auto& row = data.add_row("MEMBER");
    row.set("USERNAME", member.username);
    if (member.main_character) {
      row.set("CHARACTER", member.main_character->character_name);
      row.set("CORPORATION", member.main_character->corporation_name);
      row.set("ALLIANCE", member.main_character->alliance_name);
    }
    if (can_change) {
      row.add_row("REMOVE").set("URL", request.url_for("groupmanagement:membership_remove",
                                                       {{"group_id", std::to_string(group.id)},
                                                        {"user_id", std::to_string(member.user_id)}}));
    }
  }
  return request.render("groupmanagement/group_members.html", data);
}

Response membership_remove(Request& request) {
  auto& host = core(request);
  auto manager = manager_of(request);
  if (!manager.any()) return forbidden(host);
  auto group_id = path_id(request, "group_id");
  auto user_id = path_id(request, "user_id");
  if (!group_id || !user_id) return render_error(host, 404);

  auto result = run_change(host, [&](soci::session& sql, std::vector<SignalEvent>& events) {
    return g::remove_by_manager(sql, manager, *group_id, *user_id, events);
  });
  return answer(host, result,
                request.url_for("groupmanagement:membership_list", {{"group_id", std::to_string(*group_id)}}));
}

Response audit_log(Request& request) {
  auto& host = core(request);
  auto manager = manager_of(request);
  auto found = viewable_group(host, manager);
  if (auto* error = std::get_if<Response>(&found)) return std::move(*error);
  const auto& group = std::get<g::Group>(found);

  g::AuditQuery query;
  query.group_id = group.id;
  query.page_size = kAuditPageSize;
  query.search = request.query("search").value_or("");
  auto page_text = request.query("page").value_or("1");
  auto page_number = text::parse_id(page_text);

  TemplateData data;
  int status = 200;
  bool bad_search = false;
  auto search_length = text::utf8_length(query.search);
  std::string search_error;
  if (!search_length || text::has_control_characters(query.search)) {
    search_error = request.translate("The search contains control characters or is not valid UTF-8; enter plain text.");
  } else if (*search_length > kMaxSearchLength) {
    search_error = text::fill(request.translate("Enter at most {max} characters to search for (it has {length})."),
                              {{"max", std::to_string(kMaxSearchLength)}, {"length", std::to_string(*search_length)}});
  }
  if (!search_error.empty()) {
    data.add_row("SEARCH_ERROR").set("MESSAGE", search_error);
    data.set("SEARCH", text::shorten(query.search, kMaxSearchLength));
    bad_search = true;
    status = 400;
  } else {
    data.set("SEARCH", query.search);
  }
  if (!page_number || *page_number > 1000000) {
    data.add_row("PAGE_ERROR").set("MESSAGE", request.translate("The page number is not valid; page 1 is shown."));
    page_number = 1;
    status = 400;
  }
  query.page = static_cast<int>(*page_number);

  // A bad search shows no entries rather than every entry, so the page does
  // not pretend that the filter was applied.
  g::AuditPage page;
  if (!bad_search) page = g::search_audit_log(request.db(), query);

  data.set("TITLE", text::fill(request.translate("{group} Audit Log"), {{"group", group.name}}));
  data.set("GROUP_NAME", group.name);
  data.set("ACTION_URL", request.url_for("groupmanagement:audit_log", {{"group_id", std::to_string(group.id)}}));
  data.set("MEMBERSHIP_URL", request.url_for("groupmanagement:membership"));
  data.set("TOTAL", page.total);
  if (page.entries.empty()) data.show("NO_ENTRIES");
  for (const auto& entry : page.entries) {
    auto& row = data.add_row("ENTRY");
    row.set("CREATED", text::format_eve_time(entry.created));
    row.set("REQUESTOR", entry.requestor_name);
    row.set("MAIN_CHARACTER", entry.main_character_name);
    row.set("GROUP_NAME", entry.group_name);
    row.set("TYPE", request.translate(type_label(entry.type)));
    row.set("ACTION", request.translate(action_label(entry.action)));
    row.set("ACTOR", entry.actor_name);
  }

  long long pages = std::max<long long>(1, (page.total + kAuditPageSize - 1) / kAuditPageSize);
  data.set("PAGE", query.page);
  data.set("PAGES", pages);
  auto page_url = [&](long long number) {
    boost::urls::url url(request.url_for("groupmanagement:audit_log", {{"group_id", std::to_string(group.id)}}));
    url.params().set("page", std::to_string(number));
    if (!query.search.empty()) url.params().set("search", query.search);
    return std::string(url.buffer());
  };
  if (query.page > 1) data.add_row("PREVIOUS").set("URL", page_url(query.page - 1));
  if (query.page < pages) data.add_row("NEXT").set("URL", page_url(query.page + 1));
  return request.render("groupmanagement/audit_log.html", data, status);
}

}  // namespace aa::core::views::groups
