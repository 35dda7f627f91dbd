// The name format admin (services.nameformatconfig, upstream's "Name format
// config"): one format per service and state. The form offers the loaded
// services and every state; a format with an unknown field or an unbalanced
// brace, or a state that already has a format for the service, is reported
// under its field and nothing is saved. save_name_format checks again inside
// the same transaction.
#include <soci/soci.h>

#include <algorithm>
#include <stdexcept>

#include "aa/name_format.hpp"
#include "admin/models/admin_support.hpp"
#include "admin/models/core_admins.hpp"
#include "app/app.hpp"
#include "db/database.hpp"
#include "services/name_formats.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

constexpr std::size_t kMaxFormat = 255;  // service_name_formats.format is VARCHAR(255)

std::vector<std::string> service_names(App& app) {
  std::vector<std::string> names;
  for (const auto& owned : app.hooks().services) names.push_back(owned.hook->name());
  return names;
}

// The loaded services, value = name, label = the title users see.
std::vector<AdminChoice> service_choices(App& app) {
  std::vector<AdminChoice> choices;
  for (const auto& owned : app.hooks().services) choices.push_back({owned.hook->name(), owned.hook->title()});
  std::sort(choices.begin(), choices.end(), [](const auto& a, const auto& b) { return a.label < b.label; });
  return choices;
}

std::vector<AdminChoice> state_choices(soci::session& sql) {
  std::vector<AdminChoice> choices;
  soci::rowset<soci::row> rows = sql.prepare << "SELECT id, name FROM states ORDER BY priority DESC, name";
  for (const auto& row : rows) choices.push_back({std::to_string(row_int(row, 0)), row_string(row, 1)});
  return choices;
}

std::vector<AdminField> name_format_fields(App& app) {
  using Type = AdminFieldType;
  return {
      {.name = "service_name",
       .label = gettext_noop("Service name"),
       .type = Type::choice,
       .required = true,
       .load_choices = [&app](Request&) { return service_choices(app); }},
      {.name = "format",
       .label = gettext_noop("Format"),
       .help = gettext_noop("For example [{corp_ticker}] {character_name}. Fields: username, character_id, "
                            "character_name, corp_id, corp_name, corp_ticker, alliance_id, alliance_name, "
                            "alliance_ticker, alliance_or_corp_name, alliance_or_corp_ticker. The service removes "
                            "characters it does not allow from the result."),
       .required = true,
       .max_length = kMaxFormat},
      {.name = "states",
       .label = gettext_noop("States"),
       .type = Type::multi_choice,
       .help = gettext_noop("The states whose members get this format. A state may have one format per service."),
       .required = true,
       .load_choices = [](Request& request) { return state_choices(request.db()); }},
  };
}

NameFormatRecord record_of(std::optional<long long> id, const AdminValues& values) {
  NameFormatRecord record;
  record.id = id.value_or(0);
  record.service_name = values.get("service_name");
  record.format = values.get("format");
  for (const auto& text : values.list("states")) record.state_ids.push_back(std::stoll(text));
  return record;
}

std::optional<AdminObject> load_name_format(Request& request, long long id) {
  auto& sql = request.db();
  std::string service;
  std::string format;
  sql << "SELECT service_name, format FROM service_name_formats WHERE id = :id", soci::use(id), soci::into(service),
      soci::into(format);
  if (!sql.got_data()) return std::nullopt;

  AdminObject object;
  object.id = id;
  object.display = service + ": " + format;
  object.values.set("service_name", service);
  object.values.set("format", format);
  std::vector<std::string> states;
  soci::rowset<long long> rows =
      (sql.prepare << "SELECT state_id FROM service_name_format_states WHERE name_format_id = :id ORDER BY state_id",
       soci::use(id));
  for (auto state_id : rows) states.push_back(std::to_string(state_id));
  object.values.set_list("states", states);
  return object;
}

// The checks of name_format_problems, as translated messages under their
// fields; the host has already checked required fields and choices.
void check_name_format(Request& request, const NameFormatRecord& record, const std::vector<std::string>& services,
                       AdminWriteResult& result) {
  if (std::find(services.begin(), services.end(), record.service_name) == services.end()) {
    result.errors["service_name"] = text::fill(
        request.translate("\xE2\x80\x9C{service}\xE2\x80\x9D is not a loaded service; choose one from the list."),
        {{"service", record.service_name}});
  }
  if (auto problem = name_format_problem(record.format)) {
    result.errors["format"] =
        text::fill(request.translate("This format cannot be used: {problem}. Fix it and save again."),
                   {{"problem", *problem}});
  }
  auto& sql = request.db();
  for (long long state_id : record.state_ids) {
    long long other = 0;
    sql << "SELECT name_format_id FROM service_name_format_states WHERE service_name = :service AND state_id = :state",
        soci::use(record.service_name), soci::use(state_id), soci::into(other);
    if (!sql.got_data() || other == record.id) continue;
    std::string state;
    sql << "SELECT name FROM states WHERE id = :id", soci::use(state_id), soci::into(state);
    result.errors["states"] =
        text::fill(request.translate("The state \xE2\x80\x9C{state}\xE2\x80\x9D already has a name format for "
                                     "{service} (number {id}); edit that one or pick other states."),
                   {{"state", state}, {"service", record.service_name}, {"id", std::to_string(other)}});
    break;
  }
}

AdminWriteResult save_name_format_object(App& app, Request& request, std::optional<long long> id,
                                         const AdminValues& values) {
  AdminWriteResult result;
  auto record = record_of(id, values);
  auto services = service_names(app);
  check_name_format(request, record, services, result);
  if (!result.ok()) return result;
  try {
    save_name_format(request.db(), record, services);
  } catch (const std::invalid_argument& error) {
    // A rule of save_name_format the checks above did not foresee; its
    // message is English and names the value.
    result.errors[""] = error.what();
    return result;
  }
  result.id = record.id;
  return result;
}

AdminWriteResult remove_name_format(Request& request, const AdminObject& object) {
  // The state rows go with it (ON DELETE CASCADE), but SQLite enforces that
  // only with foreign keys on, so they are deleted here as well.
  request.db() << "DELETE FROM service_name_format_states WHERE name_format_id = :id", soci::use(object.id);
  request.db() << "DELETE FROM service_name_formats WHERE id = :id", soci::use(object.id);
  return {};
}

}  // namespace

void register_name_format_admin(aa::Registry& registry, App& app) {
  declare_model_permissions(registry, "services", "nameformatconfig", "name format config");

  AdminHook hook;
  hook.app_label = "services";
  hook.app_verbose_name = gettext_noop("Services");
  hook.model_name = "nameformatconfig";
  hook.verbose_name = gettext_noop("name format config");
  hook.verbose_name_plural = gettext_noop("name format configs");
  hook.columns = {
      {"service_name", gettext_noop("Service name")},
      {"format", gettext_noop("Format")},
      {"states", gettext_noop("States"), AdminColumnKind::text, false},
  };
  hook.filters = {{.key = "service_name",
                   .label = gettext_noop("Service name"),
                   .load_choices = [&app](Request&) { return service_choices(app); }}};
  hook.searchable = true;
  hook.default_order = "service_name";
  hook.fields = name_format_fields(app);
  hook.list = admin_sql_list({
      .from = "service_name_formats f",
      .id_expression = "f.id",
      // GROUP_CONCAT with its default separator reads the same on SQLite and MariaDB.
      .columns = {{"service_name", "f.service_name"},
                  {"format", "f.format"},
                  {"states", "(SELECT GROUP_CONCAT(st.name) FROM service_name_format_states fs "
                             "JOIN states st ON st.id = fs.state_id WHERE fs.name_format_id = f.id)"}},
      .search_expressions = {"f.service_name", "f.format"},
      .filters = {{"service_name", "f.service_name"}},
  });
  hook.load = load_name_format;
  hook.save = [&app](Request& request, std::optional<long long> id, const AdminValues& values) {
    return save_name_format_object(app, request, id, values);
  };
  hook.remove = remove_name_format;
  registry.add_admin(std::move(hook));
}

}  // namespace aa::core
