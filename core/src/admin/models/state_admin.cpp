// The state admin (authentication.state): name, priority, public, member
// characters, corporations, alliances and factions, and the state's
// permissions (superusers only). Saving goes through save_state, so the
// rules there hold: unique name and priority, Guest keeps its name and
// cannot be deleted. Users are re-checked afterwards in batched tasks.
#include <soci/soci.h>

#include <stdexcept>

#include "admin/models/admin_support.hpp"
#include "admin/models/core_admins.hpp"
#include "app/app.hpp"
#include "auth/states.hpp"
#include "db/database.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

// A state's priority is an INTEGER column.
constexpr long long kMinPriority = -2147483648LL;
constexpr long long kMaxPriority = 2147483647LL;
constexpr std::size_t kMaxStateName = 32;

// Choices from an EVE entity table: value = id, label = "name (id)" so that
// entities with the same name stay apart.
// NOTE: every known entity is offered, which makes the select long on big
// installs; the filter box above it narrows the list.
AdminChoiceLoader entity_choices(const char* table, const char* id_column, const char* name_column) {
  return [=](Request& request) {
    std::vector<AdminChoice> choices;
    soci::rowset<soci::row> rows = request.db().prepare << std::string("SELECT ") + id_column + ", " + name_column +
                                                               " FROM " + table + " ORDER BY " + name_column;
    for (const auto& row : rows) {
      auto id = std::to_string(row_int(row, 0));
      choices.push_back({id, row_string(row, 1) + " (" + id + ")"});
    }
    return choices;
  };
}

std::vector<AdminField> state_fields() {
  using Type = AdminFieldType;
  return {
      {.name = "name", .label = gettext_noop("Name"), .required = true, .max_length = kMaxStateName},
      {.name = "permissions",
       .label = gettext_noop("Permissions"),
       .type = Type::multi_choice,
       .help = gettext_noop("Permissions granted to users in this state."),
       .load_choices = [](Request& request) { return permission_choices(request.db()); },
       .superuser_only = true},
      {.name = "priority",
       .label = gettext_noop("Priority"),
       .type = Type::integer,
       .help = gettext_noop("Overrides lower priority states when a user meets the requirements of several."),
       .required = true,
       .min_value = kMinPriority,
       .max_value = kMaxPriority},
      {.name = "public",
       .label = gettext_noop("Public"),
       .type = Type::boolean,
       .help = gettext_noop("Make this state available to any character."),
       .section = gettext_noop("Membership")},
      {.name = "member_characters",
       .label = gettext_noop("Member characters"),
       .type = Type::multi_choice,
       .help = gettext_noop("Characters to which this state is available."),
       .load_choices = entity_choices("eve_characters", "character_id", "character_name")},
      {.name = "member_corporations",
       .label = gettext_noop("Member corporations"),
       .type = Type::multi_choice,
       .help = gettext_noop("Corporations to whose members this state is available."),
       .load_choices = entity_choices("eve_corporations", "corporation_id", "corporation_name")},
      {.name = "member_alliances",
       .label = gettext_noop("Member alliances"),
       .type = Type::multi_choice,
       .help = gettext_noop("Alliances to whose members this state is available."),
       .load_choices = entity_choices("eve_alliances", "alliance_id", "alliance_name")},
      {.name = "member_factions",
       .label = gettext_noop("Member factions"),
       .type = Type::multi_choice,
       .help = gettext_noop("Factions to whose enlisted members this state is available."),
       .load_choices = entity_choices("eve_factions", "faction_id", "faction_name")},
  };
}

std::optional<AdminObject> load_state_object(Request& request, long long id) {
  auto& sql = request.db();
  auto state = load_state(sql, id);
  if (!state) return std::nullopt;

  AdminObject object;
  object.id = id;
  object.display = state->name;
  object.values.set("name", state->name);
  object.values.set_integer("priority", state->priority);
  object.values.set_flag("public", state->is_public);
  object.values.set_list("member_characters", to_texts(state->member_characters));
  object.values.set_list("member_corporations", to_texts(state->member_corporations));
  object.values.set_list("member_alliances", to_texts(state->member_alliances));
  object.values.set_list("member_factions", to_texts(state->member_factions));
  object.values.set_list("permissions", granted_codes(sql, kStateGrants, id));

  int users = 0;
  sql << "SELECT COUNT(*) FROM user_profiles WHERE state_id = :id", soci::use(id), soci::into(users);
  object.details.emplace_back(gettext_noop("Users in this state"), std::to_string(users));
  if (state->name == kGuestStateName) {
    object.readonly_fields.push_back("name");
    object.deletable = false;
    object.undeletable_reason = request.translate("The Guest state cannot be deleted.");
  }
  return object;
}

// The checks of save_state, with translated messages under their fields;
// save_state checks again inside the same transaction.
void check_state(Request& request, std::optional<long long> id, const AdminValues& values, AdminWriteResult& result) {
  auto& sql = request.db();
  long long self = id.value_or(0);
  auto name = values.get("name");
  long long other = 0;
  sql << "SELECT id FROM states WHERE name = :name AND id <> :id", soci::use(name), soci::use(self), soci::into(other);
  if (sql.got_data()) result.errors["name"] = taken_message(request, name);

  long long priority = std::stoll(values.get("priority"));
  std::string holder;
  sql << "SELECT name FROM states WHERE priority = :priority AND id <> :id", soci::use(priority), soci::use(self),
      soci::into(holder);
  if (sql.got_data()) {
    result.errors["priority"] =
        text::fill(request.translate("The state \xE2\x80\x9C{state}\xE2\x80\x9D already has priority {priority}; "
                               "priorities must be unique, so pick another number."),
             {{"state", holder}, {"priority", std::to_string(priority)}});
  }
}

AdminWriteResult save_state_object(Request& request, std::optional<long long> id, const AdminValues& values) {
  AdminWriteResult result;
  check_state(request, id, values, result);
  if (!result.ok()) return result;

  auto& sql = request.db();
  StateRecord state;
  state.id = id.value_or(0);
  state.name = values.get("name");
  state.priority = static_cast<int>(std::stoll(values.get("priority")));
  state.is_public = values.flag("public");
  state.member_characters = to_ids(values.list("member_characters"));
  state.member_corporations = to_ids(values.list("member_corporations"));
  state.member_alliances = to_ids(values.list("member_alliances"));
  state.member_factions = to_ids(values.list("member_factions"));
  try {
    save_state(sql, state);
  } catch (const std::invalid_argument& error) {
    // A rule of save_state that the checks above did not foresee; its
    // message is English and names the value.
    result.errors[""] = error.what();
    return result;
  }
  auto grant_changes =
      grant_events(kStateGrants, state.id, replace_grants(sql, kStateGrants, state.id, values.list("permissions")));

  result.id = state.id;
  auto& app = host_of(request);
  long long state_id = state.id;
  result.after_commit.push_back([&app, state_id, grant_changes] {
    app.emit({Signal::state_rules_changed, 0, 0, 0, state_id});
    for (const auto& event : grant_changes) app.emit(event);
  });
  return result;
}

AdminWriteResult remove_state_object(Request& request, const AdminObject& object) {
  AdminWriteResult result;
  std::vector<StateChange> changes;
  try {
    changes = delete_state(request.db(), object.id);
  } catch (const std::invalid_argument& error) {
    result.errors[""] = error.what();
    return result;
  }
  auto& app = host_of(request);
  long long state_id = object.id;
  result.after_commit.push_back([&app, state_id, changes] {
    for (const auto& change : changes) {
      app.emit({Signal::user_state_changed, change.user_id, 0, 0, change.new_state_id});
    }
    app.emit({Signal::state_rules_changed, 0, 0, 0, state_id});
  });
  return result;
}

}  // namespace

void register_state_admin(aa::Registry& registry, App&) {
  declare_model_permissions(registry, "authentication", "state", "state");

  AdminHook hook;
  hook.app_label = "authentication";
  hook.app_verbose_name = gettext_noop("Authentication");
  hook.model_name = "state";
  hook.verbose_name = gettext_noop("state");
  hook.verbose_name_plural = gettext_noop("states");
  hook.columns = {
      {"name", gettext_noop("Name")},
      {"priority", gettext_noop("Priority")},
      {"public", gettext_noop("Public"), AdminColumnKind::boolean},
      {"user_count", gettext_noop("Users")},
  };
  hook.searchable = true;
  hook.default_order = "-priority";
  hook.fields = state_fields();
  hook.list = admin_sql_list({
      .from = "states s",
      .id_expression = "s.id",
      .columns = {{"name", "s.name"},
                  {"priority", "s.priority"},
                  {"public", "s.public"},
                  {"user_count", "(SELECT COUNT(*) FROM user_profiles p WHERE p.state_id = s.id)"}},
      .search_expressions = {"s.name"},
  });
  hook.load = load_state_object;
  hook.save = save_state_object;
  hook.remove = remove_state_object;
  registry.add_admin(std::move(hook));
}

}  // namespace aa::core
