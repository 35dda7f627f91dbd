// Registering tasks through the Registry that plugins receive: names, priorities and duplicates.
#include <doctest/doctest.h>

#include "app/app.hpp"
#include "http/router.hpp"
#include "plugins/plugin_registry.hpp"
#include "test_support.hpp"

using namespace aa::core;

namespace {

aa::TaskDecl task(std::string name, int priority = aa::kTaskPriorityDefault) {
  aa::TaskDecl decl;
  decl.name = std::move(name);
  decl.priority = priority;
  decl.run = [](aa::TaskRun&) {};
  return decl;
}

struct Fixture {
  Fixture() : app(Config::from_string(aa::test::instance_yaml(dir.path(), "sqlite3"), dir.path())) {}
  aa::test::TempDir dir;
  App app;
  HookSet accepted;
  Router router;
};

}  // namespace

TEST_CASE("task registry checks names and priorities") {
  Fixture f;
  PluginRegistry registry("myplugin", f.app, f.accepted, f.router);

  registry.add_task(task("myplugin.tasks.sync"));
  CHECK_THROWS_WITH_AS(registry.add_task(task("other.tasks.sync")), doctest::Contains("must start with 'myplugin.'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(registry.add_task(task("myplugin")), doctest::Contains("must start with 'myplugin.'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(registry.add_task(task("myplugin.bad name")), doctest::Contains("letters, digits"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(registry.add_task(task("myplugin.urgent", 0)), doctest::Contains("0 is reserved for core"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(registry.add_task(task("myplugin.late", 10)), doctest::Contains("priority 10"),
                       std::invalid_argument);
  auto no_run = task("myplugin.empty");
  no_run.run = nullptr;
  CHECK_THROWS_WITH_AS(registry.add_task(no_run), doctest::Contains("no run function"), std::invalid_argument);
  auto negative = task("myplugin.negative");
  negative.max_retries = -1;
  CHECK_THROWS_WITH_AS(registry.add_task(negative), doctest::Contains("negative max_retries"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(registry.add_task(task("myplugin.tasks.sync")), doctest::Contains("duplicate task name"),
                       std::invalid_argument);

  auto hooks = registry.take();
  REQUIRE(hooks.tasks.size() == 1);
  CHECK(hooks.tasks[0].plugin == "myplugin");
}

TEST_CASE("task registry lets core use priority 0") {
  Fixture f;
  PluginRegistry registry("core", f.app, f.accepted, f.router);
  registry.add_task(task("allianceauth.tasks.urgent", 0));
  CHECK_THROWS_WITH_AS(registry.add_task(task("core.tasks.x")), doctest::Contains("must start with 'allianceauth.'"),
                       std::invalid_argument);
  CHECK(registry.take().tasks.size() == 1);
}

TEST_CASE("task registry rejects a name another plugin took") {
  Fixture f;
  PluginRegistry first("myplugin", f.app, f.accepted, f.router);
  first.add_task(task("myplugin.tasks.sync"));
  f.accepted.merge(first.take());
  // A plugin cannot register another plugin's name, so duplicates across
  // plugins only arise for the same plugin name loaded twice.
  PluginRegistry again("myplugin", f.app, f.accepted, f.router);
  CHECK_THROWS_WITH_AS(again.add_task(task("myplugin.tasks.sync")),
                       doctest::Contains("already registered by plugin myplugin"), std::invalid_argument);
}
