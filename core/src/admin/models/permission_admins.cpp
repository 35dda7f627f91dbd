// Two read-only admins: the declared permissions (auth.permission), which
// every staff user may view as in Django, and the admin change history
// itself (admin.logentry).
#include <soci/soci.h>

#include "admin/admin_history.hpp"
#include "admin/admin_page.hpp"
#include "admin/models/admin_support.hpp"
#include "admin/models/core_admins.hpp"
#include "db/database.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

// --- Permissions ----------------------------------------------------------------

// The names of whoever holds `permission_id` through one grant table.
std::string holders(soci::session& sql, const std::string& query, long long permission_id) {
  std::string names;
  soci::rowset<std::string> rows = (sql.prepare << query, soci::use(permission_id));
  for (const auto& name : rows) names += (names.empty() ? "" : ", ") + name;
  return names;
}

std::optional<AdminObject> load_permission(Request& request, long long id) {
  auto& sql = request.db();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT app_label, codename, name FROM permissions WHERE id = :id", soci::use(id));
  for (const auto& row : rows) {
    AdminObject object;
    object.id = id;
    object.display = row_string(row, 0) + "." + row_string(row, 1);
    object.values.set("code", object.display);
    object.values.set("name", row_string(row, 2));
    object.values.set("app_label", row_string(row, 0));
    object.details.emplace_back(
        gettext_noop("Granted to states"),
        holders(sql, "SELECT s.name FROM state_permissions g JOIN states s ON s.id = g.state_id "
                     "WHERE g.permission_id = :id ORDER BY s.name",
                id));
    object.details.emplace_back(
        gettext_noop("Granted to groups"),
        holders(sql, "SELECT a.name FROM group_permissions g JOIN auth_groups a ON a.id = g.group_id "
                     "WHERE g.permission_id = :id ORDER BY a.name",
                id));
    object.details.emplace_back(
        gettext_noop("Granted to users"),
        holders(sql, "SELECT u.username FROM user_permissions g JOIN users u ON u.id = g.user_id "
                     "WHERE g.permission_id = :id ORDER BY u.username",
                id));
    return object;
  }
  return std::nullopt;
}

std::vector<AdminChoice> app_label_choices(Request& request) {
  std::vector<AdminChoice> choices;
  soci::rowset<std::string> labels = request.db().prepare << "SELECT DISTINCT app_label FROM permissions ORDER BY app_label";
  for (const auto& label : labels) choices.push_back({label, label});
  return choices;
}

void register_permissions(aa::Registry& registry) {
  declare_model_permissions(registry, "auth", "permission", "permission");

  AdminHook hook;
  hook.app_label = "auth";
  hook.app_verbose_name = gettext_noop("Authentication and Authorization");
  hook.model_name = "permission";
  hook.verbose_name = gettext_noop("permission");
  hook.verbose_name_plural = gettext_noop("permissions");
  hook.staff_may_view = true;
  hook.columns = {
      {"app_label", gettext_noop("App label")},
      {"codename", gettext_noop("Codename")},
      {"name", gettext_noop("Name")},
  };
  hook.filters = {{.key = "app_label", .label = gettext_noop("app label"), .load_choices = app_label_choices}};
  hook.searchable = true;
  hook.default_order = "app_label";
  hook.fields = {readonly_field("code", gettext_noop("Code")), readonly_field("name", gettext_noop("Name")),
                 readonly_field("app_label", gettext_noop("App label"))};
  hook.list = admin_sql_list({
      .from = "permissions p",
      .id_expression = "p.id",
      .columns = {{"app_label", "p.app_label"}, {"codename", "p.codename"}, {"name", "p.name"}},
      .search_expressions = {"p.app_label", "p.codename", "p.name"},
      .filters = {{"app_label", "p.app_label"}},
  });
  hook.load = load_permission;
  registry.add_admin(std::move(hook));
}

// --- Change history ---------------------------------------------------------------

const std::vector<AdminChoice> kActionFlags{{"1", gettext_noop("Addition")},
                                            {"2", gettext_noop("Change")},
                                            {"3", gettext_noop("Deletion")},
                                            {"4", gettext_noop("Action")}};

std::string flag_label(Request& request, const std::string& flag) {
  for (const auto& choice : kActionFlags) {
    if (choice.value == flag) return request.translate(choice.label);
  }
  return flag;
}

std::optional<AdminObject> load_entry(Request& request, long long id) {
  soci::rowset<soci::row> rows =
      (request.db().prepare << "SELECT action_time, username, app_label, model_name, object_id, object_repr, "
                               "action_flag, change_message FROM admin_log_entries WHERE id = :id",
       soci::use(id));
  for (const auto& row : rows) {
    AdminObject object;
    object.id = id;
    object.display = row_string(row, 5);
    object.values.set("action_time", text::format_eve_time(row_int(row, 0)));
    object.values.set("user", row_string(row, 1));
    object.values.set("model", row_string(row, 2) + "." + row_string(row, 3));
    object.values.set("object_id", std::to_string(row_int(row, 4)));
    object.values.set("object_repr", row_string(row, 5));
    object.values.set("action", flag_label(request, std::to_string(row_int(row, 6))));
    std::vector<std::string> lines;
    auto message = row_string(row, 7);
    if (auto action = parse_action_label(message); !action.empty()) {
      lines.push_back(text::fill(request.translate("Ran the action \xE2\x80\x9C{action}\xE2\x80\x9D."),
                           {{"action", request.translate(action)}}));
    }
    for (const auto& change : parse_field_changes(message)) lines.push_back(admin_page::describe_change(request, change));
    object.values.set_list("changes", std::move(lines));
    return object;
  }
  return std::nullopt;
}

void register_log_entries(aa::Registry& registry) {
  declare_model_permissions(registry, "admin", "logentry", "log entry");

  AdminHook hook;
  hook.app_label = "admin";
  hook.app_verbose_name = gettext_noop("Administration");
  hook.model_name = "logentry";
  hook.verbose_name = gettext_noop("log entry");
  hook.verbose_name_plural = gettext_noop("log entries");
  hook.columns = {
      {"action_time", gettext_noop("Action time"), AdminColumnKind::time},
      {"user", gettext_noop("User")},
      {"app_label", gettext_noop("App label")},
      {"model", gettext_noop("Model")},
      {"object_repr", gettext_noop("Object")},
      {"action", gettext_noop("Action")},
  };
  hook.filters = {{"action", gettext_noop("action"), kActionFlags}};
  hook.searchable = true;
  hook.default_order = "-action_time";
  hook.fields = {
      readonly_field("action_time", gettext_noop("Action time")),
      readonly_field("user", gettext_noop("User")),
      readonly_field("model", gettext_noop("Model")),
      readonly_field("object_id", gettext_noop("Object ID")),
      readonly_field("object_repr", gettext_noop("Object")),
      readonly_field("action", gettext_noop("Action")),
      readonly_field("changes", gettext_noop("Changes")),
  };
  auto rows = admin_sql_list({
      .from = "admin_log_entries e",
      .id_expression = "e.id",
      .columns = {{"action_time", "e.action_time"},
                  {"user", "e.username"},
                  {"app_label", "e.app_label"},
                  {"model", "e.model_name"},
                  {"object_repr", "e.object_repr"},
                  {"action", "e.action_flag"}},
      .search_expressions = {"e.username", "e.object_repr"},
      .filters = {{"action", "e.action_flag"}},
      .integer_filters = {"action"},
  });
  hook.list = [rows](Request& request, const AdminListQuery& query) {
    auto page = rows(request, query);
    for (auto& row : page.rows) row.cells[5] = flag_label(request, row.cells[5]);
    return page;
  };
  hook.load = load_entry;
  registry.add_admin(std::move(hook));
}

}  // namespace

void register_permission_admins(aa::Registry& registry, App&) {
  register_permissions(registry);
  register_log_entries(registry);
}

}  // namespace aa::core
