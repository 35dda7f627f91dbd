// Tests of PluginLoader with the real plugin libraries from tests/plugins/:
// every failure case first, then the good plugin among the failures, then
// unloading. Each failure must leave nothing of the plugin in the HookSet.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "aa/version.hpp"
#include "log_capture.hpp"
#include "plugins/loader.hpp"
#include "test_support.hpp"

using namespace aa::core;
namespace fs = std::filesystem;

namespace {

using aa::test::test_plugin_dir;

// The number of hooks of any kind that `plugin` owns in `hooks`.
std::size_t hooks_of(const HookSet& hooks, const std::string& plugin) {
  auto owned_by = [&](const auto& owned) { return owned.plugin == plugin; };
  std::size_t count = 0;
  count += std::count_if(hooks.urls.begin(), hooks.urls.end(), owned_by);
  count += std::count_if(hooks.menu_items.begin(), hooks.menu_items.end(), owned_by);
  count += std::count_if(hooks.dashboard_panels.begin(), hooks.dashboard_panels.end(), owned_by);
  count += std::count_if(hooks.themes.begin(), hooks.themes.end(), owned_by);
  count += std::count_if(hooks.services.begin(), hooks.services.end(), owned_by);
  count += std::count_if(hooks.permissions.begin(), hooks.permissions.end(), owned_by);
  count += std::count_if(hooks.subscriptions.begin(), hooks.subscriptions.end(), owned_by);
  count += std::count_if(hooks.migrations.begin(), hooks.migrations.end(),
                         [&](const MigrationSet& set) { return set.plugin == plugin; });
  count += std::count_if(hooks.settings.begin(), hooks.settings.end(),
                         [&](const auto& entry) { return entry.first == plugin; });
  return count;
}

// Whether the process has a file mapped whose path is `library`.
bool is_mapped(const fs::path& library) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  auto wanted = fs::canonical(library).string();
  while (std::getline(maps, line)) {
    if (line.ends_with(" " + wanted)) return true;
  }
  return false;
}

// Checks that `hooks` contains exactly what test_good registers.
void check_good_hooks(const HookSet& hooks) {
  REQUIRE(hooks.urls.size() == 1);
  CHECK(hooks.urls[0].plugin == "test_good");
  CHECK(hooks.urls[0].hook.url_namespace == "test_good");
  REQUIRE(hooks.urls[0].hook.routes.size() == 1);
  CHECK(hooks.urls[0].hook.routes[0].name == "index");

  REQUIRE(hooks.menu_items.size() == 1);
  CHECK(hooks.menu_items[0].plugin == "test_good");
  CHECK(hooks.menu_items[0].hook.url_name == "test_good:index");

  REQUIRE(hooks.permissions.size() == 1);
  CHECK(hooks.permissions[0].plugin == "test_good");
  CHECK(hooks.permissions[0].hook.code() == "test_good.view_thing");

  REQUIRE(hooks.migrations.size() == 1);
  CHECK(hooks.migrations[0].plugin == "test_good");
  REQUIRE(hooks.migrations[0].migrations.size() == 1);
  CHECK(hooks.migrations[0].migrations[0].number == 1);
}

using aa::test::LogCapture;

// A loader over the test plugin directory, with an App as the Context the
// plugins receive. The members are declared so that the hooks, which hold
// plugin code, are destroyed before the loader unloads the libraries.
struct Fixture {
  Fixture() : Fixture(std::vector<fs::path>{test_plugin_dir()}) {}
  explicit Fixture(std::vector<fs::path> search_dirs)
      : app(Config::from_string(aa::test::instance_yaml(dir.path(), "sqlite3"), dir.path())),
        loader(std::make_unique<PluginLoader>(std::move(search_dirs))) {}

  PluginRecord load(const std::string& name) { return loader->load(name, app, hooks, router); }

  LogCapture log;
  aa::test::TempDir dir;
  App app;
  std::unique_ptr<PluginLoader> loader;
  HookSet hooks;
  Router router;
};

}  // namespace

TEST_CASE("missing plugin names searched directories") {
  aa::test::TempDir empty;
  Fixture f({empty.path(), test_plugin_dir()});

  auto record = f.load("test_missing");

  CHECK(record.status == PluginStatus::failed);
  CHECK(record.name == "test_missing");
  CHECK(record.path.empty());
  CHECK(record.reason.find("test_missing.so") != std::string::npos);
  CHECK(record.reason.find(empty.path().string()) != std::string::npos);
  CHECK(record.reason.find(test_plugin_dir().string()) != std::string::npos);
  CHECK(hooks_of(f.hooks, "test_missing") == 0);

  auto logged = f.log.lines_with("plugin test_missing (no file) skipped");
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].find(record.reason) != std::string::npos);
}

TEST_CASE("loader rejects a non-library file") {
  Fixture f;

  auto record = f.load("test_garbage");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.path == test_plugin_dir() / "test_garbage.so");
  CHECK(record.reason.find("cannot load the library") != std::string::npos);
  // dlerror's own text, which names the file and what is wrong with it.
  CHECK(record.reason.find("test_garbage.so") != std::string::npos);
  CHECK(record.reason.find("invalid ELF header") != std::string::npos);
  // Boost.DLL appends the unrelated errno text "Bad file descriptor".
  CHECK(record.reason.find("Bad file descriptor") == std::string::npos);

  // The error line names the plugin, its full path and the reason.
  auto logged = f.log.lines_with("plugin test_garbage (" + record.path.string() + ") skipped");
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].starts_with("error: "));
  CHECK(logged[0].find(record.reason) != std::string::npos);
}

TEST_CASE("loader rejects a non-plugin library") {
  Fixture f;

  auto record = f.load("test_not_plugin");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.path == test_plugin_dir() / "test_not_plugin.so");
  CHECK(record.reason.find("not an Alliance Auth plugin") != std::string::npos);
  CHECK(record.reason.find("aa_plugin_abi_version") != std::string::npos);
  CHECK(record.reason.find("aa_plugin_create") != std::string::npos);
  CHECK_FALSE(is_mapped(record.path));
}

TEST_CASE("loader rejects another SDK ABI") {
  Fixture f;

  auto record = f.load("test_abi_mismatch");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.reason.find("SDK ABI version " + std::to_string(aa::kSdkAbiVersion + 1)) != std::string::npos);
  CHECK(record.reason.find("ABI version " + std::to_string(aa::kSdkAbiVersion) + ";") != std::string::npos);
  // register_hooks would have added a route; the check comes before it.
  CHECK(hooks_of(f.hooks, "test_abi_mismatch") == 0);
  CHECK(record.version.empty());
  CHECK_FALSE(is_mapped(record.path));
}

TEST_CASE("loader drops a throwing register_hooks") {
  Fixture f;

  auto record = f.load("test_throws");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.reason.find("register_hooks failed") != std::string::npos);
  CHECK(record.reason.find("test_throws: the widget count setting is invalid") != std::string::npos);
  // It registered a route, a menu item and a permission before throwing.
  CHECK(f.hooks.urls.empty());
  CHECK(f.hooks.menu_items.empty());
  CHECK(f.hooks.permissions.empty());
  CHECK(hooks_of(f.hooks, "test_throws") == 0);
  CHECK_FALSE(is_mapped(record.path));
}

TEST_CASE("loader reports a throwing constructor") {
  Fixture f;

  auto record = f.load("test_factory_throws");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.reason.find("creating the plugin failed") != std::string::npos);
  CHECK(record.reason.find("test_factory_throws: cannot open the widget cache") != std::string::npos);
  CHECK(record.reason.find("register_hooks") == std::string::npos);
}

TEST_CASE("loader rejects a mismatched plugin name") {
  Fixture f;

  auto record = f.load("test_wrong_name");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.reason.find("'test_other_name'") != std::string::npos);
  CHECK(record.reason.find("'test_wrong_name'") != std::string::npos);
  CHECK(hooks_of(f.hooks, "test_wrong_name") == 0);
  CHECK(hooks_of(f.hooks, "test_other_name") == 0);
}

TEST_CASE("loader rejects migrations out of order") {
  Fixture f;

  auto record = f.load("test_bad_migrations");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.reason.find("has number 3") != std::string::npos);
  CHECK(record.reason.find("must be number 2") != std::string::npos);
  CHECK(f.hooks.migrations.empty());
  CHECK(f.hooks.urls.empty());
  CHECK(f.hooks.permissions.empty());
}

TEST_CASE("loader rejects a duplicate URL name") {
  Fixture f;
  REQUIRE(f.load("test_good").status == PluginStatus::loaded);

  auto record = f.load("test_duplicate_url");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.reason.find("duplicate URL name 'test_good:index'") != std::string::npos);
  CHECK(record.reason.find("plugin test_good") != std::string::npos);
  // Its menu item and permission, registered before the route, are gone.
  CHECK(hooks_of(f.hooks, "test_duplicate_url") == 0);
  check_good_hooks(f.hooks);
}

TEST_CASE("loader rejects a duplicate permission code") {
  Fixture f;
  REQUIRE(f.load("test_good").status == PluginStatus::loaded);

  auto record = f.load("test_duplicate_permission");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.reason.find("duplicate permission code 'test_good.view_thing'") != std::string::npos);
  CHECK(record.reason.find("plugin test_good") != std::string::npos);
  CHECK(hooks_of(f.hooks, "test_duplicate_permission") == 0);
  check_good_hooks(f.hooks);
}

TEST_CASE("loader rejects a plugin listed twice") {
  Fixture f;
  REQUIRE(f.load("test_good").status == PluginStatus::loaded);

  auto record = f.load("test_good");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.path == test_plugin_dir() / "test_good.so");
  CHECK(record.reason.find("already loaded") != std::string::npos);
  // Without the check, the second load failed on a duplicate URL name that
  // it blamed on test_good itself.
  CHECK(record.reason.find("duplicate") == std::string::npos);
  check_good_hooks(f.hooks);
  REQUIRE(f.loader->records().size() == 2);
  CHECK(f.loader->records()[0].status == PluginStatus::loaded);
}

TEST_CASE("first plugin keeps a contested name") {
  // The config order decides which of two conflicting plugins loads: the
  // first keeps the name and the second fails, naming the first.
  Fixture f;
  REQUIRE(f.load("test_duplicate_url").status == PluginStatus::loaded);

  auto record = f.load("test_good");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::failed);
  CHECK(record.reason.find("duplicate URL name 'test_good:index'") != std::string::npos);
  CHECK(record.reason.find("plugin test_duplicate_url") != std::string::npos);
  CHECK(hooks_of(f.hooks, "test_good") == 0);
  CHECK(hooks_of(f.hooks, "test_duplicate_url") == 3);
}

TEST_CASE("loader loads the good plugin") {
  Fixture f;

  auto record = f.load("test_good");

  CAPTURE(record.reason);
  CHECK(record.status == PluginStatus::loaded);
  CHECK(record.reason.empty());
  CHECK(record.version == "1.2.3");
  CHECK(record.path == test_plugin_dir() / "test_good.so");
  CHECK(record.resource_dir == test_plugin_dir() / "test_good");
  check_good_hooks(f.hooks);
  REQUIRE(f.loader->records().size() == 1);
  CHECK(f.loader->records()[0].status == PluginStatus::loaded);

  auto logged = f.log.lines_with("plugin test_good 1.2.3 loaded from " + record.path.string());
  CHECK(logged.size() == 1);
}

TEST_CASE("good plugin loads in any position") {
  // The plugins that fail on their own; the duplicate plugins fail only
  // after test_good, so they come last in every order.
  const std::vector<std::string> failing{"test_missing",     "test_garbage",        "test_not_plugin",
                                         "test_abi_mismatch", "test_throws",        "test_factory_throws",
                                         "test_wrong_name",  "test_bad_migrations"};
  for (std::size_t position = 0; position <= failing.size(); ++position) {
    CAPTURE(position);
    std::vector<std::string> order = failing;
    order.insert(order.begin() + static_cast<std::ptrdiff_t>(position), "test_good");
    order.push_back("test_duplicate_url");
    order.push_back("test_duplicate_permission");

    Fixture f;
    for (const auto& name : order) f.load(name);

    const auto& records = f.loader->records();
    REQUIRE(records.size() == order.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      CAPTURE(records[i].name);
      CAPTURE(records[i].reason);
      CHECK(records[i].name == order[i]);
      CHECK(records[i].status == (order[i] == "test_good" ? PluginStatus::loaded : PluginStatus::failed));
      CHECK(records[i].reason.empty() == (order[i] == "test_good"));
    }
    check_good_hooks(f.hooks);
    CHECK(f.hooks.dashboard_panels.empty());
    CHECK(f.hooks.themes.empty());
    CHECK(f.hooks.services.empty());
    CHECK(f.hooks.subscriptions.empty());
    CHECK(f.hooks.settings.empty());
  }
}

TEST_CASE("app loads plugins beside core hooks") {
  LogCapture log;
  aa::test::TempDir dir;
  auto yaml = aa::test::instance_yaml(dir.path(), "sqlite3",
                                      "plugins:\n  - test_throws\n  - test_good\n  - test_abi_mismatch\n"
                                      "  - test_duplicate_permission\n  - test_missing\n");
  App app(Config::from_string(yaml, dir.path()), {test_plugin_dir()});

  app.load_plugins();

  const auto& records = app.plugins().records();
  REQUIRE(records.size() == 5);
  CHECK(records[0].status == PluginStatus::failed);
  CHECK(records[1].status == PluginStatus::loaded);
  CHECK(records[2].status == PluginStatus::failed);
  CHECK(records[3].status == PluginStatus::failed);
  CHECK(records[4].status == PluginStatus::failed);

  const auto& hooks = app.hooks();
  CHECK(hooks_of(hooks, "core") > 0);
  CHECK(hooks_of(hooks, "test_good") == 4);
  for (const auto* failed : {"test_throws", "test_abi_mismatch", "test_duplicate_permission", "test_missing"}) {
    CAPTURE(failed);
    CHECK(hooks_of(hooks, failed) == 0);
  }
  // Core and its parts come first, so plugin tables may refer to core tables.
  REQUIRE(hooks.migrations.size() == 4);
  CHECK(hooks.migrations[0].plugin == "core");
  CHECK(hooks.migrations[1].plugin == "admin");
  CHECK(hooks.migrations[2].plugin == "groupmanagement");
  CHECK(hooks.migrations[3].plugin == "test_good");
  CHECK(app.check_config().empty());
  CHECK(log.lines_with("1 of 5 configured plugins loaded").size() == 1);
}

TEST_CASE("loader unmaps a failed plugin") {
  Fixture f;
  auto library = test_plugin_dir() / "test_throws.so";

  REQUIRE(f.load("test_throws").status == PluginStatus::failed);

  CHECK_FALSE(is_mapped(library));
}

TEST_CASE("loader unmaps plugins when destroyed") {
  Fixture f;
  auto library = test_plugin_dir() / "test_good.so";
  REQUIRE_FALSE(is_mapped(library));

  REQUIRE(f.load("test_good").status == PluginStatus::loaded);
  CHECK(is_mapped(library));

  // The hooks hold std::function objects whose code is in the library, so
  // they go first, as App's member order ensures in the daemon.
  f.hooks = HookSet{};
  f.loader.reset();

  CHECK_FALSE(is_mapped(library));
}
