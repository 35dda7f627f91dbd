// Model admins: how core and plugins put their tables on the admin site under
// /admin/. A plugin describes a model once (list columns, search, filters,
// form fields, permission codes, bulk actions). It supplies the functions that
// read and write its own tables. The host renders every page, checks
// permissions and CSRF, validates the form fields, runs writes in one
// transaction and records a change history.
//
// Threads and timing: Registry::add_admin and add_admin_action are called
// during register_hooks on the main thread. Every function stored in these
// structs is called later, with the Request of the admin request, on the web
// worker thread that handles it. These functions may run on several threads at
// once. They may throw: the host logs the exception with the request path,
// rolls back the transaction it opened and answers 500.
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aa/export.hpp"
#include "aa/http.hpp"
#include "aa/permissions.hpp"

namespace aa {

/// A value a field or filter can take. Labels of static choices are message
/// ids, translated by the host; labels returned by a load_choices function
/// are shown as they are.
struct AdminChoice {
  std::string value;
  std::string label;
};

/// Reads choices per request, e.g. the groups that exist now.
using AdminChoiceLoader = std::function<std::vector<AdminChoice>(Request&)>;

/// Field values by field name, as form text. Single-valued fields hold one
/// string; booleans are "1" or "0"; multi_choice fields hold any number.
class AdminValues {
 public:
  /// The value of a single-valued field; "" when it is absent.
  std::string get(const std::string& field) const {
    auto it = fields_.find(field);
    return it == fields_.end() || it->second.empty() ? std::string() : it->second.front();
  }
  /// Every value of a multi_choice field; empty when absent.
  std::vector<std::string> list(const std::string& field) const {
    auto it = fields_.find(field);
    return it == fields_.end() ? std::vector<std::string>() : it->second;
  }
  bool flag(const std::string& field) const { return get(field) == "1"; }
  bool has(const std::string& field) const { return fields_.count(field) != 0; }

  void set(const std::string& field, std::string value) { fields_[field] = {std::move(value)}; }
  void set_flag(const std::string& field, bool value) { set(field, value ? "1" : "0"); }
  void set_integer(const std::string& field, long long value) { set(field, std::to_string(value)); }
  void set_list(const std::string& field, std::vector<std::string> values) { fields_[field] = std::move(values); }

  const std::map<std::string, std::vector<std::string>>& fields() const { return fields_; }

 private:
  std::map<std::string, std::vector<std::string>> fields_;
};

/// How a list column shows its cell text.
enum class AdminColumnKind {
  text,
  boolean,  ///< "1" or "0", shown as a yes or no icon.
  time,     ///< Unix seconds, shown as EVE time (UTC).
};

/// A column of the list page.
struct AdminColumn {
  std::string key;    ///< Sort key in URLs; unique within the model.
  std::string label;  ///< Message id of the column heading.
  AdminColumnKind kind = AdminColumnKind::text;
  bool sortable = true;
};

/// A filter in the list page's side bar. The host accepts only values from
/// `choices` (or load_choices) and passes the chosen one in AdminListQuery.
struct AdminFilter {
  std::string key;    ///< Query parameter "f_<key>"; unique within the model.
  std::string label;  ///< Message id.
  std::vector<AdminChoice> choices;
  /// Choices read per request (states, groups, ...); used when set.
  AdminChoiceLoader load_choices;
};

/// What the list page asks for. The host has already checked every part:
/// `order_by` is the key of a sortable column, each filter value is one of
/// the filter's choices, `search` is at most 200 characters.
struct AdminListQuery {
  std::string search;
  std::map<std::string, std::string> filters;
  std::string order_by;
  bool descending = false;
  long long offset = 0;
  int limit = 100;
};

/// One row of the list page: the object's id and one text per column.
struct AdminListRow {
  long long id = 0;
  std::vector<std::string> cells;
};

struct AdminListPage {
  /// Rows matching the search and filters, over all pages.
  long long total = 0;
  std::vector<AdminListRow> rows;
};

enum class AdminFieldType {
  text,
  textarea,
  email,
  integer,
  boolean,
  choice,        ///< One of the choices; "" allowed unless required.
  multi_choice,  ///< Any number of the choices.
  readonly,      ///< Shown on the form, never written.
};

/// A field of the add and change forms. Before save is called, the host checks
/// type, required, length, range and choices, and reports each problem under
/// its field. Save adds the checks only it can make (unique names and the
/// like).
struct AdminField {
  std::string name;   ///< Form input name and key in AdminValues.
  std::string label;  ///< Message id.
  AdminFieldType type = AdminFieldType::text;
  std::string help;   ///< Message id shown under the input, or empty.
  bool required = false;
  /// Longest accepted text in characters (text, textarea, email).
  std::size_t max_length = 254;
  long long min_value = std::numeric_limits<long long>::min();
  long long max_value = std::numeric_limits<long long>::max();
  std::vector<AdminChoice> choices;
  /// Choices read per request; used instead of `choices` when set.
  AdminChoiceLoader load_choices;
  /// The value the add form starts with ("1" checks a boolean).
  std::string initial;
  /// Only superusers may set or change this field. Others see it read-only;
  /// a request from them that changes it is answered 403 and saves nothing.
  bool superuser_only = false;
  /// The heading of the group of fields that starts here (message id).
  std::string section;
};

/// An object as the change page shows it.
struct AdminObject {
  long long id = 0;
  /// Plain-text name shown in titles, messages and the history.
  std::string display;
  /// The current value of every field.
  AdminValues values;
  /// Read-only facts shown above the form: (message id of the label, text).
  std::vector<std::pair<std::string, std::string>> details;
  /// Fields that are read-only for this object (Guest's name, for example).
  std::vector<std::string> readonly_fields;
  /// False when this object can never be deleted; the reason goes in
  /// `undeletable_reason` (translated text).
  bool deletable = true;
  std::string undeletable_reason;
};

/// What save and remove return. Any entry in `errors` rolls the transaction
/// back. Its key is a field name, or "" for the form as a whole. Its value is
/// translated text that names the bad value and what to do.
struct AdminWriteResult {
  long long id = 0;  ///< The saved object's id (save only).
  std::map<std::string, std::string> errors;
  /// Work for after the commit, on the same thread: emitting signals,
  /// enqueueing tasks. Not run when the write is rolled back.
  std::vector<std::function<void()>> after_commit;

  bool ok() const { return errors.empty(); }
};

/// What a bulk action reports back: one message for the next page.
struct AdminActionResult {
  MessageLevel level = MessageLevel::success;
  std::string message;  ///< Translated text.
};

/// A bulk action on the objects selected on the list page, such as a
/// service's "sync nickname".
struct AdminAction {
  std::string name;   ///< Identifier, unique within the model: [a-z][a-z0-9_]*.
  std::string label;  ///< Message id shown in the action menu.
  /// Permission needed besides the model's view permission; empty means the
  /// model's change permission.
  std::string permission;
  bool superuser_only = false;
  /// Runs on the selected ids (at most 1000, each an existing object) outside
  /// any transaction: open an aa::WriteTransaction on request.db() for
  /// writes. Anything that talks to another system belongs in a task.
  std::function<AdminActionResult(Request&, const std::vector<long long>& ids)> run;
};

/// One model on the admin site, at /admin/<app_label>/<model_name>/.
struct AdminHook {
  std::string app_label;            ///< e.g. "timerboard": [a-z][a-z0-9_]*.
  std::string app_verbose_name;     ///< Message id of the app heading; app_label when empty.
  std::string model_name;           ///< e.g. "timer": [a-z][a-z0-9_]*.
  std::string verbose_name;         ///< Message id, e.g. "timer".
  std::string verbose_name_plural;  ///< Message id, e.g. "timers".

  std::vector<AdminColumn> columns;
  std::vector<AdminFilter> filters;
  /// Shows the search box; `list` receives the text.
  bool searchable = false;
  /// Column key of the default order; "-key" for descending.
  std::string default_order;
  int page_size = 100;

  std::vector<AdminField> fields;

  /// Permission codes. Empty means Django's default,
  /// "<app_label>.<view|add|change|delete>_<model_name>"; the plugin
  /// declares them with Registry::add_permission like any other.
  std::string view_permission;
  std::string add_permission;
  std::string change_permission;
  std::string delete_permission;
  /// Every staff user may view the model, whatever their permissions (as
  /// Django shows staff the list of permissions).
  bool staff_may_view = false;

  /// The list page's rows. Required. Read only; see admin_sql_list for a
  /// ready-made one.
  std::function<AdminListPage(Request&, const AdminListQuery&)> list;
  /// One object, or nothing when it does not exist. Required.
  std::function<std::optional<AdminObject>(Request&, long long id)> load;
  /// Creates (no id) or updates an object from checked values. Called inside
  /// a write transaction the host opened on request.db(), which the host
  /// commits together with the history entry; write through request.db()
  /// only. Empty: the model has no add or change form.
  std::function<AdminWriteResult(Request&, std::optional<long long> id, const AdminValues& values)> save;
  bool allow_add = true;     ///< With save set: offer the add form.
  bool allow_change = true;  ///< With save set: offer the change form.
  /// Deletes an object, inside a write transaction as for save. Empty: no
  /// delete.
  std::function<AdminWriteResult(Request&, const AdminObject& object)> remove;
  /// Translated lines naming what else a delete of `object` removes, such
  /// as "Pending join and leave requests: 3". The delete confirmation pages
  /// list them under the object, as Django lists related objects. Read
  /// only, and called outside any transaction. Empty: nothing is listed.
  std::function<std::vector<std::string>(Request&, const AdminObject& object)> deleted_with;
  /// Rules beyond the model permissions, such as "only superusers edit
  /// superusers". Called before save (with the values after the change) and
  /// before remove (with `after` null), inside the transaction; false
  /// answers 403 and writes nothing.
  std::function<bool(Request&, const AdminObject* before, const AdminValues* after)> authorize;

  std::vector<AdminAction> actions;
};

/// The four permissions Django declares for a model, with Django's names
/// ("Can view timer", ...), for models that use the default codes.
inline std::vector<PermissionDecl> admin_default_permissions(const std::string& app_label,
                                                             const std::string& model_name,
                                                             const std::string& verbose_name) {
  std::vector<PermissionDecl> declarations;
  for (const char* action : {"view", "add", "change", "delete"}) {
    declarations.push_back({app_label, std::string(action) + "_" + model_name,
                            "Can " + std::string(action) + " " + verbose_name});
  }
  return declarations;
}

/// A list over SQL, for admin_sql_list. Every text here is SQL written by the
/// plugin. User input (search words, filter values) is only ever bound as a
/// parameter, and the sort column is chosen from `columns` by key.
struct AdminSqlList {
  /// FROM clause with joins, e.g. "timers t LEFT JOIN users u ON u.id = t.user_id".
  std::string from;
  /// A condition every row must meet, or empty.
  std::string where;
  /// The object id, e.g. "t.id".
  std::string id_expression;
  /// (column key, SQL expression) in the order of AdminHook::columns.
  std::vector<std::pair<std::string, std::string>> columns;
  /// Expressions a search word is matched against (case-insensitive for
  /// ASCII letters, substring). Every word must match one of them.
  std::vector<std::string> search_expressions;
  /// (filter key, SQL expression) compared with "=" to the chosen value.
  /// An expression that contains "{value}" is used as the whole condition,
  /// with the bound value in that place, e.g. "EXISTS (SELECT 1 FROM
  /// user_groups g WHERE g.user_id = u.id AND g.group_id = {value})".
  std::vector<std::pair<std::string, std::string>> filters;
  /// Filter keys whose values are integers and are bound as such.
  std::vector<std::string> integer_filters;
};

/// Builds an AdminHook::list function from `spec`. The rows are read on
/// request.db(); every cell comes back as text ("" for NULL).
AA_SDK_API std::function<AdminListPage(Request&, const AdminListQuery&)> admin_sql_list(AdminSqlList spec);

}  // namespace aa
