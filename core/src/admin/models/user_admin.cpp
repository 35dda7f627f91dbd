// The user admin (auth.user): account flags, groups and direct permissions,
// with the main character, state and characters shown. Only superusers set
// is_staff, is_superuser or permissions, and only superusers change or
// delete a superuser's account.
#include <soci/soci.h>

#include <algorithm>
#include <cctype>

#include "admin/models/admin_support.hpp"
#include "admin/models/core_admins.hpp"
#include "admin/models/user_groups.hpp"
#include "app/app.hpp"
#include "auth/accounts.hpp"
#include "auth/states.hpp"
#include "db/database.hpp"
#include "groups/group_repository.hpp"
#include "groups/membership_rules.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

constexpr std::size_t kMaxUsername = 150;

std::vector<AdminChoice> group_choices(Request& request) {
  std::vector<AdminChoice> choices;
  soci::rowset<soci::row> rows = request.db().prepare << "SELECT id, name FROM auth_groups ORDER BY name";
  for (const auto& row : rows) choices.push_back({std::to_string(row_int(row, 0)), row_string(row, 1)});
  return choices;
}

std::vector<AdminChoice> state_choices(Request& request) {
  std::vector<AdminChoice> choices;
  soci::rowset<soci::row> rows = request.db().prepare << "SELECT id, name FROM states ORDER BY priority DESC";
  for (const auto& row : rows) choices.push_back({std::to_string(row_int(row, 0)), row_string(row, 1)});
  return choices;
}

std::vector<AdminField> user_fields() {
  using Type = AdminFieldType;
  return {
      {.name = "username",
       .label = gettext_noop("Username"),
       .help = gettext_noop("Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only."),
       .required = true,
       .max_length = kMaxUsername},
      {.name = "email", .label = gettext_noop("Email address"), .type = Type::email},
      {.name = "is_active",
       .label = gettext_noop("Active"),
       .type = Type::boolean,
       .help = gettext_noop("Designates whether this user should be treated as active. Unselect this instead of "
                            "deleting accounts."),
       .initial = "1",
       .section = gettext_noop("Permissions")},
      {.name = "is_staff",
       .label = gettext_noop("Staff status"),
       .type = Type::boolean,
       .help = gettext_noop("Designates whether the user can log into this admin site."),
       .superuser_only = true},
      {.name = "is_superuser",
       .label = gettext_noop("Superuser status"),
       .type = Type::boolean,
       .help = gettext_noop("Designates that this user has all permissions without explicitly assigning them."),
       .superuser_only = true},
      {.name = "groups",
       .label = gettext_noop("Groups"),
       .type = Type::multi_choice,
       .help = gettext_noop("The groups this user belongs to. A user will get all permissions granted to each of "
                            "their groups."),
       .load_choices = group_choices},
      {.name = "user_permissions",
       .label = gettext_noop("User permissions"),
       .type = Type::multi_choice,
       .help = gettext_noop("Specific permissions for this user."),
       .load_choices = [](Request& request) { return permission_choices(request.db()); },
       .superuser_only = true},
  };
}

std::optional<AdminObject> load_user_object(Request& request, long long id) {
  auto& sql = request.db();
  auto user = load_user(sql, id);
  if (!user) return std::nullopt;

  AdminObject object;
  object.id = id;
  object.display = user->username;
  object.values.set("username", user->username);
  object.values.set("email", user->email);
  object.values.set_flag("is_active", user->is_active);
  object.values.set_flag("is_staff", user->is_staff);
  object.values.set_flag("is_superuser", user->is_superuser);
  std::vector<std::string> groups;
  for (const auto& group : groups_of_user(sql, id)) groups.push_back(std::to_string(group.id));
  object.values.set_list("groups", std::move(groups));
  object.values.set_list("user_permissions", granted_codes(sql, kUserGrants, id));

  long long joined = 0;
  long long last_login = 0;
  soci::indicator last_login_indicator = soci::i_null;
  sql << "SELECT date_joined, last_login FROM users WHERE id = :id", soci::use(id), soci::into(joined),
      soci::into(last_login, last_login_indicator);
  object.details.emplace_back(gettext_noop("Main character"),
                              user->main_character ? user->main_character->character_name : std::string());
  object.details.emplace_back(gettext_noop("State"), user->state_name);
  std::string characters;
  for (const auto& character : characters_of_user(sql, id)) {
    characters += (characters.empty() ? "" : ", ") + character.character_name;
  }
  object.details.emplace_back(gettext_noop("Characters"), characters);
  object.details.emplace_back(gettext_noop("Date joined"), text::format_eve_time(joined));
  object.details.emplace_back(gettext_noop("Last login"),
                              last_login_indicator == soci::i_null ? std::string() : text::format_eve_time(last_login));
  return object;
}

std::optional<std::string> username_error(Request& request, const std::string& username) {
  for (unsigned char c : username) {
    if (c < 0x80 && !std::isalnum(c) && c != '@' && c != '.' && c != '+' && c != '-' && c != '_') {
      return text::fill(request.translate("\xE2\x80\x9C{value}\xE2\x80\x9D is not a valid username; use letters, digits "
                                    "and @/./+/-/_ only."),
                  {{"value", text::shorten(username)}});
    }
  }
  return std::nullopt;
}

// The names of the groups in `group_ids` that the user is not in yet and
// whose allowed states do not include the user's state.
std::vector<std::string> groups_closed_to_user(soci::session& sql, long long user_id,
                                              const std::vector<std::string>& group_ids) {
  std::vector<std::string> names;
  for (const auto& text : group_ids) {
    auto group_id = text::parse_id(text);
    if (!group_id || groups::is_member(sql, user_id, *group_id)) continue;
    auto group = groups::load_group(sql, *group_id);
    if (group && !groups::users_outside_states(sql, {user_id}, group->state_ids).empty()) names.push_back(group->name);
  }
  return names;
}

// Applies the form to the user's row, groups and grants and reports what
// changed, for the signals after the commit.
struct UserChange {
  bool activation_changed = false;
  std::vector<SignalEvent> group_events;  ///< One per group joined or left.
  std::vector<SignalEvent> grant_events;  ///< One per permission granted or revoked.
  StateChange state;
};

UserChange write_user(soci::session& sql, long long id, const AdminValues& values, bool was_active) {
  UserChange change;
  auto username = values.get("username");
  auto email = values.get("email");
  int active = values.flag("is_active") ? 1 : 0;
  int staff = values.flag("is_staff") ? 1 : 0;
  int superuser = values.flag("is_superuser") ? 1 : 0;
  sql << "UPDATE users SET username = :username, email = :email, is_active = :active, is_staff = :staff, "
         "is_superuser = :superuser WHERE id = :id",
      soci::use(username), soci::use(email), soci::use(active), soci::use(staff), soci::use(superuser), soci::use(id);
  bump_auth_version(sql);

  change.activation_changed = (active != 0) != was_active;
  replace_user_groups(sql, id, values.list("groups"), change.group_events);
  change.grant_events = grant_events(kUserGrants, id, replace_grants(sql, kUserGrants, id, values.list("user_permissions")));
  // As upstream, activating or deactivating a user re-checks their state
  // (inactive users are Guests).
  change.state = update_user_state(sql, id);
  return change;
}

AdminWriteResult save_user(Request& request, std::optional<long long> id, const AdminValues& values) {
  auto& sql = request.db();
  AdminWriteResult result;
  auto username = values.get("username");
  if (auto problem = username_error(request, username)) result.errors["username"] = *problem;
  auto existing = find_user_id(sql, username);
  if (existing && existing != id) result.errors["username"] = taken_message(request, username);
  if (!result.ok()) return result;

  bool was_active = true;
  if (id) {
    was_active = load_user(sql, *id)->is_active;
    result.id = *id;
  } else {
    result.id = create_user(sql, {.username = username, .email = values.get("email")});
  }
  // As on the group form, adding the user to a group whose allowed states do
  // not include theirs is an error. The caller then rolls back, new user too.
  auto closed_groups = groups_closed_to_user(sql, result.id, values.list("groups"));
  if (!closed_groups.empty()) {
    result.errors["groups"] =
        text::fill(request.translate("The state of this user is not one of the allowed states of {groups}; allow "
                                     "that state there or leave these groups out."),
                   {{"groups", quoted_list(closed_groups)}});
    return result;
  }
  auto change = write_user(sql, result.id, values, was_active);

  auto& app = host_of(request);
  long long user_id = result.id;
  bool active = values.flag("is_active");
  result.after_commit.push_back([&app, user_id, change, active] {
    if (change.activation_changed) {
      app.emit({active ? Signal::user_activated : Signal::user_deactivated, user_id, 0, 0, 0});
    }
    if (change.state.changed()) app.emit({Signal::user_state_changed, user_id, 0, 0, change.state.new_state_id});
    for (const auto& event : change.group_events) app.emit(event);
    for (const auto& event : change.grant_events) app.emit(event);
  });
  return result;
}

AdminWriteResult remove_user(Request& request, const AdminObject& object) {
  request.db() << "DELETE FROM users WHERE id = :id", soci::use(object.id);
  bump_auth_version(request.db());
  AdminWriteResult result;
  auto& app = host_of(request);
  long long user_id = object.id;
  result.after_commit.push_back([&app, user_id] { app.emit({Signal::user_deleted, user_id, 0, 0, 0}); });
  return result;
}

// Staff admins who are not superusers may not touch superuser accounts,
// nor add or remove anyone in a restricted group.
bool authorize_user(Request& request, const AdminObject* before, const AdminValues* after) {
  if (request.user()->is_superuser) return true;
  if (before && before->values.flag("is_superuser")) return false;
  if (!after) return true;
  auto old_groups = before ? before->values.list("groups") : std::vector<std::string>();
  return !touches_restricted_group(request.db(), old_groups, after->list("groups"));
}

}  // namespace

void register_user_admin(aa::Registry& registry, App&) {
  declare_model_permissions(registry, "auth", "user", "user");

  AdminHook hook;
  hook.app_label = "auth";
  hook.app_verbose_name = gettext_noop("Authentication and Authorization");
  hook.model_name = "user";
  hook.verbose_name = gettext_noop("user");
  hook.verbose_name_plural = gettext_noop("users");
  hook.columns = {
      {"username", gettext_noop("Username")},
      {"email", gettext_noop("Email address")},
      {"main_character", gettext_noop("Main character")},
      {"state", gettext_noop("State")},
      {"is_active", gettext_noop("Active"), AdminColumnKind::boolean},
      {"is_staff", gettext_noop("Staff status"), AdminColumnKind::boolean},
      {"is_superuser", gettext_noop("Superuser status"), AdminColumnKind::boolean},
  };
  hook.filters = {
      {"is_staff", gettext_noop("staff status"), {{"1", gettext_noop("Yes")}, {"0", gettext_noop("No")}}},
      {"is_superuser", gettext_noop("superuser status"), {{"1", gettext_noop("Yes")}, {"0", gettext_noop("No")}}},
      {"is_active", gettext_noop("active"), {{"1", gettext_noop("Yes")}, {"0", gettext_noop("No")}}},
      {.key = "state", .label = gettext_noop("state"), .load_choices = state_choices},
      {.key = "group", .label = gettext_noop("groups"), .load_choices = group_choices},
  };
  hook.searchable = true;
  hook.default_order = "username";
  hook.fields = user_fields();
  hook.list = admin_sql_list({
      .from = "users u JOIN user_profiles p ON p.user_id = u.id JOIN states s ON s.id = p.state_id "
              "LEFT JOIN eve_characters c ON c.character_id = p.main_character_id",
      .id_expression = "u.id",
      .columns = {{"username", "u.username"},
                  {"email", "u.email"},
                  {"main_character", "c.character_name"},
                  {"state", "s.name"},
                  {"is_active", "u.is_active"},
                  {"is_staff", "u.is_staff"},
                  {"is_superuser", "u.is_superuser"}},
      .search_expressions = {"u.username", "u.email", "c.character_name"},
      .filters = {{"is_staff", "u.is_staff"},
                  {"is_superuser", "u.is_superuser"},
                  {"is_active", "u.is_active"},
                  {"state", "p.state_id"},
                  {"group", "EXISTS (SELECT 1 FROM user_groups ug WHERE ug.user_id = u.id AND ug.group_id = {value})"}},
      .integer_filters = {"is_staff", "is_superuser", "is_active", "state", "group"},
  });
  hook.load = load_user_object;
  hook.save = save_user;
  hook.remove = remove_user;
  hook.authorize = authorize_user;
  registry.add_admin(std::move(hook));
}

}  // namespace aa::core
