// Loads the built timerboard.so through the host's loader, as the daemon
// does, and checks what it registers.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "db/migrator.hpp"
#include "migrations.hpp"
#include "test_support.hpp"
#include "timer_repository.hpp"

namespace {

std::unique_ptr<aa::core::App> load_timerboard(const aa::core::Config& config) {
  auto app = std::make_unique<aa::core::App>(config, std::vector<std::filesystem::path>{TIMERBOARD_PLUGIN_DIR});
  app->load_plugins({"timerboard"});
  return app;
}

const aa::core::PluginRecord* record_of(aa::core::App& app, const std::string& name) {
  for (const auto& record : app.plugins().records()) {
    if (record.name == name) return &record;
  }
  return nullptr;
}

const aa::Route* route_named(const aa::UrlHook& hook, const std::string& name) {
  auto it = std::find_if(hook.routes.begin(), hook.routes.end(), [&](const aa::Route& r) { return r.name == name; });
  return it == hook.routes.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("plugin: loads and declares both permissions") {
  aa::test::TestDatabase database("sqlite3");
  auto app = load_timerboard(database.config());
  const auto* record = record_of(*app, "timerboard");
  REQUIRE(record != nullptr);
  INFO(record->reason);
  REQUIRE(record->status == aa::core::PluginStatus::loaded);

  std::map<std::string, std::string> permissions;
  for (const auto& owned : app->hooks().permissions) {
    if (owned.plugin == "timerboard") permissions[owned.hook.code()] = owned.hook.name;
  }
  CHECK(permissions.size() == 2);
  CHECK(permissions["auth.timer_view"] == "Can view Timerboard Timers");
  CHECK(permissions["auth.timer_management"] == "Can Manage Timerboard timers");
}

TEST_CASE("plugin: routes need the upstream permissions") {
  aa::test::TestDatabase database("sqlite3");
  auto app = load_timerboard(database.config());
  const aa::UrlHook* hook = nullptr;
  for (const auto& owned : app->hooks().urls) {
    if (owned.plugin == "timerboard") hook = &owned.hook;
  }
  REQUIRE(hook != nullptr);
  CHECK(hook->url_namespace == "timerboard");
  CHECK(hook->base_path == "/timers/");
  CHECK(hook->routes.size() == 4);

  struct Expected {
    const char* name;
    const char* pattern;
    const char* permission;
    bool post;
  };
  for (const auto& expected :
       {Expected{"view", "", "auth.timer_view", false}, Expected{"add", "add/", "auth.timer_management", true},
        Expected{"edit", "edit/<int:id>/", "auth.timer_management", true},
        Expected{"delete", "remove/<int:id>/", "auth.timer_management", true}}) {
    CAPTURE(std::string(expected.name));
    const auto* route = route_named(*hook, expected.name);
    REQUIRE(route != nullptr);
    CHECK(route->pattern == expected.pattern);
    CHECK(route->access == aa::Access::main_character);
    CHECK(route->permissions == std::vector<std::string>{expected.permission});
    bool has_post = std::find(route->methods.begin(), route->methods.end(), aa::Method::post) != route->methods.end();
    CHECK(has_post == expected.post);
  }
}

TEST_CASE("plugin: the menu item needs timer_view") {
  aa::test::TestDatabase database("sqlite3");
  auto app = load_timerboard(database.config());
  const aa::MenuItemHook* item = nullptr;
  for (const auto& owned : app->hooks().menu_items) {
    if (owned.plugin == "timerboard") item = &owned.hook;
  }
  REQUIRE(item != nullptr);
  CHECK(item->text == "Structure Timers");
  CHECK(item->classes == "fas fa-clock fa-fw");
  CHECK(item->url_name == "timerboard:view");
  CHECK(item->order >= 1000);
  CHECK(item->navactive == std::vector<std::string>{"timerboard:"});
  CHECK(item->permission == std::optional<std::string>("auth.timer_view"));
}

TEST_CASE("plugin: registered migrations go up, to zero and up again") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    auto app = load_timerboard(database.config());
    auto set = std::find_if(app->hooks().migrations.begin(), app->hooks().migrations.end(),
                            [](const aa::core::MigrationSet& s) { return s.plugin == "timerboard"; });
    REQUIRE(set != app->hooks().migrations.end());
    CHECK(set->migrations.size() == timerboard::migrations().size());

    aa::core::Migrator migrator(database.db());
    auto table_count = [&] {
      soci::session sql(database.db().pool());
      int count = 0;
      if (backend == "mysql") {
        sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND "
               "table_name = 'timerboard_timers'",
            soci::into(count);
      } else {
        sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'timerboard_timers'",
            soci::into(count);
      }
      return count;
    };
    CHECK(migrator.pending({*set}).size() == set->migrations.size());
    migrator.migrate(*set, std::nullopt);
    CHECK(table_count() == 1);
    CHECK(migrator.pending({*set}).empty());
    migrator.migrate(*set, 0);
    CHECK(table_count() == 0);
    migrator.migrate(*set, std::nullopt);
    CHECK(table_count() == 1);
  }
}

TEST_CASE("plugin: user_deleted empties the timer creator") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    auto app = load_timerboard(database.config());
    app->open_database();
    aa::core::Migrator(database.db()).migrate({"timerboard", timerboard::migrations()}, std::nullopt);

    timerboard::Timer timer;
    timer.details = "kept after the user is deleted";
    timer.system = "Jita";
    timer.user_id = 7;
    timer.character_id = 2112000001;
    timer.character_name = "Pilot One";
    timer.corporation_id = 98370861;
    {
      soci::session sql(database.db().pool());
      timerboard::insert_timer(sql, timer);
    }

    app->emit({.signal = aa::Signal::user_deleted, .user_id = 7});

    soci::session sql(database.db().pool());
    auto found = timerboard::find_timer(sql, timer.id, 0);
    REQUIRE(found.has_value());
    CHECK_FALSE(found->user_id.has_value());
    CHECK(found->character_name == "Pilot One");
  }
}

TEST_CASE("plugin: an invalid past_days setting fails the load") {
  aa::test::TempDir dir;
  auto yaml = aa::test::instance_yaml(dir.path(), "sqlite3", "plugins:\n  timerboard:\n    past_days: 0\n");
  auto app = load_timerboard(aa::core::Config::from_string(yaml, dir.path()));
  const auto* record = record_of(*app, "timerboard");
  REQUIRE(record != nullptr);
  CHECK(record->status == aa::core::PluginStatus::failed);
  CHECK(record->reason.find("plugins.timerboard.past_days is 0") != std::string::npos);
  for (const auto& owned : app->hooks().urls) CHECK(owned.plugin != "timerboard");
}

TEST_CASE("plugin: log lines reach extensions.log within seconds") {
  // The daemon flushes log files every 2 seconds; info lines must not wait
  // for a warning or for the process to end.
  aa::test::TempDir dir;
  aa::core::LogOptions options;
  options.directory = dir.path();
  options.console = false;
  aa::core::init_logging(options);
  aa::core::ExtensionLogger("timerboard").info("timer 1 in Jita created by user 1 (test)");

  std::string text;
  for (int waited = 0; waited < 40 && text.find("timer 1 in Jita") == std::string::npos; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream file(dir.path() / "extensions.log");
    text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  }
  CHECK(text.find("[timerboard] timer 1 in Jita created by user 1 (test)") != std::string::npos);

  aa::core::LogOptions quiet;
  quiet.level = "warning";
  quiet.extensions_level = "warning";
  aa::core::init_logging(quiet);
}
