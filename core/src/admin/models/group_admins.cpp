// The group admin (auth.group) with the group-management settings, leaders,
// leader groups, allowed states, members and permissions, and the reserved
// group names admin (groupmanagement.reservedgroupname). Saving goes through
// the group repository, so its rules hold: valid and unique names, no
// reserved names, members of states a group no longer allows removed.
// Only superusers change permissions, the restricted flag, and the members
// of a restricted group.
#include <soci/soci.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <stdexcept>
#include <vector>

#include "admin/models/admin_support.hpp"
#include "admin/models/core_admins.hpp"
#include "app/app.hpp"
#include "db/database.hpp"
#include "groups/group_names.hpp"
#include "groups/group_repository.hpp"
#include "groups/group_requests.hpp"
#include "groups/membership_rules.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

namespace g = groups;

AdminChoiceLoader id_name_choices(const char* query) {
  return [query](Request& request) {
    std::vector<AdminChoice> choices;
    soci::rowset<soci::row> rows = request.db().prepare << query;
    for (const auto& row : rows) choices.push_back({std::to_string(row_int(row, 0)), row_string(row, 1)});
    return choices;
  };
}

std::vector<AdminField> group_fields() {
  using Type = AdminFieldType;
  auto users = id_name_choices("SELECT id, username FROM users ORDER BY username");
  auto groups = id_name_choices("SELECT id, name FROM auth_groups ORDER BY name");
  return {
      {.name = "name", .label = gettext_noop("Name"), .required = true, .max_length = g::kMaxGroupNameLength},
      {.name = "permissions",
       .label = gettext_noop("Permissions"),
       .type = Type::multi_choice,
       .help = gettext_noop("Permissions granted to the members of this group."),
       .load_choices = [](Request& request) { return permission_choices(request.db()); },
       .superuser_only = true},
      {.name = "description",
       .label = gettext_noop("Description"),
       .type = Type::textarea,
       .help = gettext_noop("Description of the group shown to users."),
       .max_length = g::kMaxDescriptionLength,
       .section = gettext_noop("Auth settings")},
      {.name = "leaders",
       .label = gettext_noop("Group leaders"),
       .type = Type::multi_choice,
       .help = gettext_noop("Group leaders can process group requests for this group specifically. Use the "
                            "auth.group_management permission to allow a user to manage all groups."),
       .load_choices = users},
      {.name = "leader_groups",
       .label = gettext_noop("Group leader groups"),
       .type = Type::multi_choice,
       .help = gettext_noop("Members of leader groups can process group requests for this group specifically."),
       .load_choices = groups},
      {.name = "states",
       .label = gettext_noop("States"),
       .type = Type::multi_choice,
       .help = gettext_noop("States listed here will have the ability to join this group provided they have the "
                            "proper permissions. Members whose state is not listed are removed. Leave empty to "
                            "allow every state."),
       .load_choices = id_name_choices("SELECT id, name FROM states ORDER BY priority DESC")},
      {.name = "internal",
       .label = gettext_noop("Internal"),
       .type = Type::boolean,
       .help = gettext_noop("Internal group, users cannot see, join or request to join this group. Used for groups "
                            "such as Members, Corp_*, Alliance_*, etc. Overrides Hidden and Open options when "
                            "selected."),
       .initial = "1"},
      {.name = "hidden",
       .label = gettext_noop("Hidden"),
       .type = Type::boolean,
       .help = gettext_noop("Group is hidden from users but can still join with the correct link."),
       .initial = "1"},
      {.name = "open",
       .label = gettext_noop("Open"),
       .type = Type::boolean,
       .help = gettext_noop("Group is open and users will be automatically added upon request. If the group is not "
                            "open users will need their request manually approved.")},
      {.name = "public",
       .label = gettext_noop("Public"),
       .type = Type::boolean,
       .help = gettext_noop("Group is public. Any registered user is able to join this group, with visibility based "
                            "on the other options set for this group. Auth will not remove users from this group "
                            "automatically when they are no longer authenticated.")},
      {.name = "restricted",
       .label = gettext_noop("Restricted"),
       .type = Type::boolean,
       .help = gettext_noop("Group is restricted. This means that adding or removing users for this group requires "
                            "a superuser admin."),
       .superuser_only = true},
      {.name = "members",
       .label = gettext_noop("Members"),
       .type = Type::multi_choice,
       .help = gettext_noop("Users in this group. Only superusers change the members of a restricted group."),
       .load_choices = users,
       .section = gettext_noop("Members")},
  };
}

std::optional<AdminObject> load_group_object(Request& request, long long id) {
  auto& sql = request.db();
  auto group = g::load_group(sql, id);
  if (!group) return std::nullopt;

  AdminObject object;
  object.id = id;
  object.display = group->name;
  object.values.set("name", group->name);
  object.values.set("description", group->description);
  object.values.set_list("leaders", to_texts(group->leader_ids));
  object.values.set_list("leader_groups", to_texts(group->leader_group_ids));
  object.values.set_list("states", to_texts(group->state_ids));
  object.values.set_flag("internal", group->internal);
  object.values.set_flag("hidden", group->hidden);
  object.values.set_flag("open", group->open);
  object.values.set_flag("public", group->is_public);
  object.values.set_flag("restricted", group->restricted);
  object.values.set_list("members", to_texts(g::member_ids(sql, id)));
  object.values.set_list("permissions", granted_codes(sql, kGroupGrants, id));
  object.details.emplace_back(gettext_noop("Members"), std::to_string(group->member_count));
  object.details.emplace_back(gettext_noop("Join link"),
                              request.url_for("groupmanagement:request_add", {{"group_id", std::to_string(id)}}));
  return object;
}

// The repository's field names as the form's.
std::map<std::string, std::string> form_errors(const g::FieldErrors& errors) {
  static const std::map<std::string, std::string> kFormField{
      {"leader_ids", "leaders"}, {"leader_group_ids", "leader_groups"}, {"state_ids", "states"}};
  std::map<std::string, std::string> mapped;
  for (const auto& [field, message] : errors) {
    auto it = kFormField.find(field);
    mapped[it == kFormField.end() ? field : it->second] = message;
  }
  return mapped;
}

AdminWriteResult save_group_object(Request& request, std::optional<long long> id, const AdminValues& values) {
  auto& sql = request.db();
  AdminWriteResult result;
  g::Group group;
  group.id = id.value_or(0);
  group.name = values.get("name");
  group.description = values.get("description");
  group.leader_ids = to_ids(values.list("leaders"));
  group.leader_group_ids = to_ids(values.list("leader_groups"));
  group.state_ids = to_ids(values.list("states"));
  group.internal = values.flag("internal");
  group.hidden = values.flag("hidden");
  group.open = values.flag("open");
  group.is_public = values.flag("public");
  group.restricted = values.flag("restricted");

  // Adding a user whose state the group does not allow is an error. Members
  // already in the group whose state it no longer allows are removed below.
  auto members = to_ids(values.list("members"));
  auto current = id ? g::member_ids(sql, *id) : std::vector<long long>();
  std::vector<long long> added;
  std::copy_if(members.begin(), members.end(), std::back_inserter(added), [&](long long user_id) {
    return std::find(current.begin(), current.end(), user_id) == current.end();
  });
  auto outside_states = g::users_outside_states(sql, added, group.state_ids);

  std::vector<SignalEvent> events;
  auto translate = [&request](std::string_view msgid) { return request.translate(msgid); };
  result.errors = form_errors(g::save_group(sql, group, translate, events));
  if (!outside_states.empty()) {
    result.errors["members"] =
        text::fill(request.translate("The state of {users} is not one of the group's allowed states; allow that "
                                     "state or leave them out."),
                   {{"users", quoted_list(outside_states)}});
  }
  if (!result.ok()) return result;

  // The members the form shows, minus those the state rule just removed,
  // would put them back; the rule wins.
  if (!group.state_ids.empty()) {
    std::erase_if(members, [&](long long user_id) {
      long long state_id = 0;
      sql << "SELECT state_id FROM user_profiles WHERE user_id = :id", soci::use(user_id), soci::into(state_id);
      return std::find(group.state_ids.begin(), group.state_ids.end(), state_id) == group.state_ids.end();
    });
  }
  g::replace_group_members(sql, group.id, members, events);
  auto grant_changes = replace_grants(sql, kGroupGrants, group.id, values.list("permissions"));
  for (auto& event : grant_events(kGroupGrants, group.id, grant_changes)) events.push_back(std::move(event));

  result.id = group.id;
  auto& app = host_of(request);
  result.after_commit.push_back([&app, events] {
    for (const auto& event : events) app.emit(event);
  });
  return result;
}

AdminWriteResult remove_group_object(Request& request, const AdminObject& object) {
  AdminWriteResult result;
  std::vector<SignalEvent> events;
  g::delete_group(request.db(), object.id, events);
  auto& app = host_of(request);
  result.after_commit.push_back([&app, events] {
    for (const auto& event : events) app.emit(event);
  });
  return result;
}

// The confirmation page lists what delete_group removes besides the group
// that an admin cannot see on the change page.
std::vector<std::string> group_deleted_with(Request& request, const AdminObject& object) {
  auto& sql = request.db();
  std::vector<std::string> lines;
  auto requests = g::count_requests(sql, {.group_ids = {object.id}});
  if (requests > 0) {
    lines.push_back(text::fill(request.translate("Pending join and leave requests: {count}"),
                               {{"count", std::to_string(requests)}}));
  }
  auto log_entries = g::search_audit_log(sql, {.group_id = object.id, .page_size = 1}).total;
  if (log_entries > 0) {
    lines.push_back(text::fill(request.translate("Audit log entries: {count}"),
                               {{"count", std::to_string(log_entries)}}));
  }
  return lines;
}

// Only superusers add or remove members of a restricted group, or delete it.
bool authorize_group(Request& request, const AdminObject* before, const AdminValues* after) {
  const auto* user = request.user();
  if (user && user->is_superuser) return true;
  bool restricted = (before && before->values.flag("restricted")) || (after && after->flag("restricted"));
  if (!restricted) return true;
  if (!after) return false;

  auto sorted = [](std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  };
  auto members_before = before ? sorted(before->values.list("members")) : std::vector<std::string>();
  return members_before == sorted(after->list("members"));
}

void register_group_admin(aa::Registry& registry) {
  declare_model_permissions(registry, "auth", "group", "group");

  AdminHook hook;
  hook.app_label = "auth";
  hook.app_verbose_name = gettext_noop("Authentication and Authorization");
  hook.model_name = "group";
  hook.verbose_name = gettext_noop("group");
  hook.verbose_name_plural = gettext_noop("groups");
  hook.columns = {
      {"name", gettext_noop("Name")},
      {"description", gettext_noop("Description")},
      {"member_count", gettext_noop("Members")},
      {"internal", gettext_noop("Internal"), AdminColumnKind::boolean},
      {"hidden", gettext_noop("Hidden"), AdminColumnKind::boolean},
      {"open", gettext_noop("Open"), AdminColumnKind::boolean},
      {"public", gettext_noop("Public"), AdminColumnKind::boolean},
      {"restricted", gettext_noop("Restricted"), AdminColumnKind::boolean},
  };
  const std::vector<AdminChoice> yes_no{{"1", gettext_noop("Yes")}, {"0", gettext_noop("No")}};
  hook.filters = {
      {"internal", gettext_noop("internal"), yes_no},
      {"hidden", gettext_noop("hidden"), yes_no},
      {"open", gettext_noop("open"), yes_no},
      {"public", gettext_noop("public"), yes_no},
      {"restricted", gettext_noop("restricted"), yes_no},
  };
  hook.searchable = true;
  hook.default_order = "name";
  hook.fields = group_fields();
  hook.list = admin_sql_list({
      .from = "auth_groups g LEFT JOIN groupmanagement_authgroups a ON a.group_id = g.id",
      .id_expression = "g.id",
      .columns = {{"name", "g.name"},
                  {"description", "COALESCE(a.description, '')"},
                  {"member_count", "(SELECT COUNT(*) FROM user_groups ug WHERE ug.group_id = g.id)"},
                  {"internal", "COALESCE(a.internal, 1)"},
                  {"hidden", "COALESCE(a.hidden, 1)"},
                  {"open", "COALESCE(a.open, 0)"},
                  {"public", "COALESCE(a.public, 0)"},
                  {"restricted", "COALESCE(a.restricted, 0)"}},
      .search_expressions = {"g.name", "COALESCE(a.description, '')"},
      .filters = {{"internal", "COALESCE(a.internal, 1)"},
                  {"hidden", "COALESCE(a.hidden, 1)"},
                  {"open", "COALESCE(a.open, 0)"},
                  {"public", "COALESCE(a.public, 0)"},
                  {"restricted", "COALESCE(a.restricted, 0)"}},
      .integer_filters = {"internal", "hidden", "open", "public", "restricted"},
  });
  hook.load = load_group_object;
  hook.save = save_group_object;
  hook.remove = remove_group_object;
  hook.deleted_with = group_deleted_with;
  hook.authorize = authorize_group;
  registry.add_admin(std::move(hook));
}

// --- Reserved group names ---------------------------------------------------------

std::optional<AdminObject> load_reserved_object(Request& request, long long id) {
  auto reserved = g::load_reserved_name(request.db(), id);
  if (!reserved) return std::nullopt;
  AdminObject object;
  object.id = id;
  object.display = reserved->name;
  object.values.set("name", reserved->name);
  object.values.set("reason", reserved->reason);
  object.values.set("created_by", reserved->created_by);
  object.values.set("created_at", text::format_eve_time(reserved->created_at));
  return object;
}

AdminWriteResult save_reserved_object(Request& request, std::optional<long long> id, const AdminValues& values) {
  AdminWriteResult result;
  g::ReservedName reserved;
  if (id) {
    auto stored = g::load_reserved_name(request.db(), *id);
    if (!stored) throw std::invalid_argument("no reserved group name with id " + std::to_string(*id));
    reserved = *stored;
  } else {
    const auto* user = request.user();
    reserved.created_by = user ? user->username : std::string();
  }
  reserved.name = values.get("name");
  reserved.reason = values.get("reason");
  auto translate = [&request](std::string_view msgid) { return request.translate(msgid); };
  for (auto& [field, message] : g::save_reserved_name(request.db(), reserved, translate)) {
    result.errors[field == "created_by" ? "" : field] = message;
  }
  result.id = reserved.id;
  return result;
}

AdminWriteResult remove_reserved_object(Request& request, const AdminObject& object) {
  g::delete_reserved_name(request.db(), object.id);
  return {};
}

void register_reserved_name_admin(aa::Registry& registry) {
  declare_model_permissions(registry, "groupmanagement", "reservedgroupname", "reserved group name");

  AdminHook hook;
  hook.app_label = "groupmanagement";
  hook.app_verbose_name = gettext_noop("Group Management");
  hook.model_name = "reservedgroupname";
  hook.verbose_name = gettext_noop("reserved group name");
  hook.verbose_name_plural = gettext_noop("reserved group names");
  hook.columns = {
      {"name", gettext_noop("Name")},
      {"reason", gettext_noop("Reason")},
      {"created_by", gettext_noop("Created by")},
      {"created_at", gettext_noop("Created at"), AdminColumnKind::time},
  };
  hook.searchable = true;
  hook.default_order = "name";
  hook.fields = {
      {.name = "name",
       .label = gettext_noop("Name"),
       .help = gettext_noop("No group may have this name, in any mix of upper and lower case."),
       .required = true,
       .max_length = g::kMaxGroupNameLength},
      {.name = "reason",
       .label = gettext_noop("Reason"),
       .help = gettext_noop("Why this name is reserved."),
       .required = true,
       .max_length = g::kMaxReservedReasonLength},
      {.name = "created_by", .label = gettext_noop("Created by"), .type = AdminFieldType::readonly},
      {.name = "created_at", .label = gettext_noop("Created at"), .type = AdminFieldType::readonly},
  };
  hook.list = admin_sql_list({
      .from = "groupmanagement_reserved_names r",
      .id_expression = "r.id",
      .columns = {{"name", "r.name"},
                  {"reason", "r.reason"},
                  {"created_by", "r.created_by"},
                  {"created_at", "r.created_at"}},
      .search_expressions = {"r.name", "r.reason", "r.created_by"},
  });
  hook.load = load_reserved_object;
  hook.save = save_reserved_object;
  hook.remove = remove_reserved_object;
  registry.add_admin(std::move(hook));
}

}  // namespace

void register_group_admins(aa::Registry& registry, App&) {
  register_group_admin(registry);
  register_reserved_name_admin(registry);
}

}  // namespace aa::core
