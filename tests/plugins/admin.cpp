// test_admin: a plugin that uses the admin SDK the way a real one would. It
// registers a model of its own (test_admin.widget, with a text area, an
// integer, a choice, a many-to-many "owners" field and a computed column)
// and adds bulk actions to core's user model: "sync nickname", which needs
// test_admin.sync_nickname, and a superuser-only one. Each action run
// writes one row per user to test_admin_runs, so tests can count them. An
// action for a model nobody registers shows that such an action is left out.
#include <soci/soci.h>

#include <algorithm>

#include <aa/admin.hpp>
#include <aa/db.hpp>
#include <aa/plugin.hpp>

namespace {

void create_tables(aa::Schema& schema) {
  schema.exec("CREATE TABLE test_admin_widgets (" + schema.auto_id() +
              ", name VARCHAR(64) NOT NULL UNIQUE, notes " + schema.long_text() +
              " NOT NULL, size INTEGER NOT NULL, colour VARCHAR(16) NOT NULL)" + schema.table_options());
  schema.exec("CREATE TABLE test_admin_widget_owners (widget_id BIGINT NOT NULL, user_id BIGINT NOT NULL, "
              "PRIMARY KEY (widget_id, user_id))" +
              schema.table_options());
  schema.exec("CREATE TABLE test_admin_runs (" + schema.auto_id() +
              ", action VARCHAR(32) NOT NULL, object_id BIGINT NOT NULL)" + schema.table_options());
}

void drop_tables(aa::Schema& schema) {
  schema.exec("DROP TABLE test_admin_runs");
  schema.exec("DROP TABLE test_admin_widget_owners");
  schema.exec("DROP TABLE test_admin_widgets");
}

std::vector<aa::AdminChoice> user_choices(aa::Request& request) {
  std::vector<aa::AdminChoice> choices;
  soci::rowset<soci::row> rows = request.db().prepare << "SELECT id, username FROM users ORDER BY username";
  for (const auto& row : rows) {
    // SQLite reports the id as int, MariaDB as long long.
    long long id = row.get_properties(0).get_data_type() == soci::dt_integer ? row.get<int>(0) : row.get<long long>(0);
    choices.push_back({std::to_string(id), row.get<std::string>(1)});
  }
  return choices;
}

std::optional<aa::AdminObject> load_widget(aa::Request& request, long long id) {
  auto& sql = request.db();
  std::string name;
  std::string notes;
  int size = 0;
  std::string colour;
  sql << "SELECT name, notes, size, colour FROM test_admin_widgets WHERE id = :id", soci::use(id), soci::into(name),
      soci::into(notes), soci::into(size), soci::into(colour);
  if (!sql.got_data()) return std::nullopt;

  aa::AdminObject object;
  object.id = id;
  object.display = name;
  object.values.set("name", name);
  object.values.set("notes", notes);
  object.values.set_integer("size", size);
  object.values.set("colour", colour);
  std::vector<std::string> owners;
  soci::rowset<long long> rows =
      (sql.prepare << "SELECT user_id FROM test_admin_widget_owners WHERE widget_id = :id", soci::use(id));
  for (long long owner : rows) owners.push_back(std::to_string(owner));
  object.values.set_list("owners", owners);
  object.details.emplace_back("Owners", std::to_string(owners.size()));
  return object;
}

aa::AdminWriteResult save_widget(aa::Request& request, std::optional<long long> id, const aa::AdminValues& values) {
  auto& sql = request.db();
  aa::AdminWriteResult result;
  auto name = values.get("name");
  long long other = 0;
  long long self = id.value_or(0);
  sql << "SELECT id FROM test_admin_widgets WHERE name = :name AND id <> :id", soci::use(name), soci::use(self),
      soci::into(other);
  if (sql.got_data()) {
    result.errors["name"] = "A widget named " + name + " exists already; choose another name.";
    return result;
  }

  auto notes = values.get("notes");
  int size = std::stoi(values.get("size"));
  auto colour = values.get("colour");
  if (id) {
    sql << "UPDATE test_admin_widgets SET name = :name, notes = :notes, size = :size, colour = :colour WHERE id = :id",
        soci::use(name), soci::use(notes), soci::use(size), soci::use(colour), soci::use(*id);
    result.id = *id;
  } else {
    sql << "INSERT INTO test_admin_widgets (name, notes, size, colour) VALUES (:name, :notes, :size, :colour)",
        soci::use(name), soci::use(notes), soci::use(size), soci::use(colour);
    sql << "SELECT id FROM test_admin_widgets WHERE name = :name", soci::use(name), soci::into(result.id);
  }
  sql << "DELETE FROM test_admin_widget_owners WHERE widget_id = :id", soci::use(result.id);
  for (const auto& owner : values.list("owners")) {
    long long user_id = std::stoll(owner);
    sql << "INSERT INTO test_admin_widget_owners (widget_id, user_id) VALUES (:widget, :user)", soci::use(result.id),
        soci::use(user_id);
  }
  return result;
}

aa::AdminWriteResult remove_widget(aa::Request& request, const aa::AdminObject& object) {
  request.db() << "DELETE FROM test_admin_widget_owners WHERE widget_id = :id", soci::use(object.id);
  request.db() << "DELETE FROM test_admin_widgets WHERE id = :id", soci::use(object.id);
  return {};
}

// An action that records one row per selected object.
std::function<aa::AdminActionResult(aa::Request&, const std::vector<long long>&)> recorder(std::string action) {
  return [action](aa::Request& request, const std::vector<long long>& ids) {
    auto& sql = request.db();
    aa::WriteTransaction transaction(sql);
    for (long long id : ids) {
      sql << "INSERT INTO test_admin_runs (action, object_id) VALUES (:action, :id)", soci::use(action), soci::use(id);
    }
    transaction.commit();
    return aa::AdminActionResult{aa::MessageLevel::success,
                                 "Ran " + action + " on " + std::to_string(ids.size()) + " objects."};
  };
}

aa::AdminHook widget_admin() {
  aa::AdminHook hook;
  hook.app_label = "test_admin";
  hook.app_verbose_name = "Test admin";
  hook.model_name = "widget";
  hook.verbose_name = "widget";
  hook.verbose_name_plural = "widgets";
  hook.columns = {{"name", "Name"},
                  {"size", "Size"},
                  {"colour", "Colour"},
                  {.key = "owner_count", .label = "Owners", .sortable = false}};
  hook.filters = {{"colour", "colour", {{"red", "Red"}, {"blue", "Blue"}}}};
  hook.searchable = true;
  hook.default_order = "name";
  hook.page_size = 2;
  hook.fields = {
      {.name = "name", .label = "Name", .required = true, .max_length = 64},
      {.name = "notes", .label = "Notes", .type = aa::AdminFieldType::textarea, .max_length = 500},
      {.name = "size", .label = "Size", .type = aa::AdminFieldType::integer, .required = true, .min_value = 0,
       .max_value = 100, .initial = "1"},
      {.name = "colour",
       .label = "Colour",
       .type = aa::AdminFieldType::choice,
       .required = true,
       .choices = {{"red", "Red"}, {"blue", "Blue"}}},
      {.name = "owners", .label = "Owners", .type = aa::AdminFieldType::multi_choice, .load_choices = user_choices},
  };
  hook.list = aa::admin_sql_list({
      .from = "test_admin_widgets w",
      .id_expression = "w.id",
      .columns = {{"name", "w.name"},
                  {"size", "w.size"},
                  {"colour", "w.colour"},
                  {"owner_count", "(SELECT COUNT(*) FROM test_admin_widget_owners o WHERE o.widget_id = w.id)"}},
      .search_expressions = {"w.name", "w.notes"},
      .filters = {{"colour", "w.colour"}},
  });
  hook.load = load_widget;
  hook.save = save_widget;
  hook.remove = remove_widget;
  hook.actions = {{.name = "reset_size", .label = "Reset size", .run = recorder("reset_size")}};
  return hook;
}

class TestAdmin final : public aa::Plugin {
 public:
  std::string name() const override { return "test_admin"; }
  std::string version() const override { return "1.0.0"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_migration({.number = 1, .name = "create widgets", .up = create_tables, .down = drop_tables});
    for (auto& permission : aa::admin_default_permissions("test_admin", "widget", "widget")) {
      registry.add_permission(std::move(permission));
    }
    registry.add_permission({.app_label = "test_admin", .codename = "sync_nickname", .name = "Can sync nicknames"});
    registry.add_admin(widget_admin());

    registry.add_admin_action("auth", "user",
                              {.name = "sync_nickname",
                               .label = "Sync nickname",
                               .permission = "test_admin.sync_nickname",
                               .run = recorder("sync_nickname")});
    registry.add_admin_action("auth", "user",
                              {.name = "superuser_sync",
                               .label = "Superuser sync",
                               .superuser_only = true,
                               .run = recorder("superuser_sync")});
    registry.add_admin_action("nosuch", "model", {.name = "orphan", .label = "Orphan", .run = recorder("orphan")});
  }
};

}  // namespace

AA_PLUGIN(TestAdmin)
