// Core's reaction to a state edit: Signal::state_rules_changed enqueues the
// batched re-check of every user instead of re-checking them inline.
#include <doctest/doctest.h>

#include "app/app.hpp"
#include "db/migrator.hpp"
#include "tasks/task_service.hpp"
#include "test_support.hpp"

using namespace aa::core;

TEST_CASE("state edit signal enqueues the re-check") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TempDir dir;
    App app(Config::from_string(aa::test::instance_yaml(dir.path(), backend), dir.path()));
    app.load_plugins();
    app.open_database();
    Migrator migrator(app.db());
    for (const auto& set : app.hooks().migrations) migrator.migrate(set, std::nullopt);
    app.open_task_queue();

    app.emit({aa::Signal::state_rules_changed, 0, 0, 0, 1});

    soci::session sql(app.db().pool());
    std::string task;
    long long priority = 0;
    sql << "SELECT task_name, priority FROM task_queue", soci::into(task), soci::into(priority);
    CHECK(task == "allianceauth.authentication.tasks.update_all_states");
    CHECK(priority == 3);
    CHECK(app.task_service().backend().queue_length().waiting == 1);
    aa::test::drop_database(dir.path());
  }
}
