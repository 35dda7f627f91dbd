// How core queues the services' access checks: a check asked for while the
// same check is still queued or running is queued again, not dropped.
#include <doctest/doctest.h>

#include "app/app.hpp"
#include "db/migrator.hpp"
#include "tasks/task_service.hpp"
#include "test_support.hpp"

using namespace aa::core;

namespace {

long long queued(App& app, const std::string& task) {
  soci::session sql(app.db().pool());
  long long count = 0;
  sql << "SELECT COUNT(*) FROM task_queue WHERE task_name = :task", soci::use(task), soci::into(count);
  return count;
}

}  // namespace

TEST_CASE("access checks are queued again") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TempDir dir;
    auto plugins = "plugin_dirs:\n  - \"" + aa::test::test_plugin_dir().string() + "\"\nplugins: [test_service]\n";
    App app(Config::from_string(aa::test::instance_yaml(dir.path(), backend, plugins), dir.path()));
    app.load_plugins();
    app.open_database();
    Migrator migrator(app.db());
    for (const auto& set : app.hooks().migrations) migrator.migrate(set, std::nullopt);
    app.open_task_queue();

    // The first call is a check that is already queued or running when a
    // second grant change requests the same users again.
    const std::string user_check = "allianceauth.services.tasks.validate_user";
    const std::string state_check = "allianceauth.services.tasks.validate_users_of";
    for (int call = 0; call < 2; ++call) {
      auto user = app.task_service().enqueue({.name = user_check, .args = boost::json::object{{"user_id", 7}}});
      CHECK(user.error.empty());
      CHECK_FALSE(user.duplicate);
      auto state = app.task_service().enqueue({.name = state_check, .args = boost::json::object{{"state_id", 1}}});
      CHECK(state.error.empty());
      CHECK_FALSE(state.duplicate);
    }
    CHECK(queued(app, user_check) == 2);
    CHECK(queued(app, state_check) == 2);

    // Group and nickname updates stay only-once: a second one while the
    // first waits would send the same changes again.
    const std::string groups_update = "allianceauth.services.tasks.update_groups";
    auto first = app.task_service().enqueue({.name = groups_update, .args = boost::json::object{{"user_id", 7}}});
    auto second = app.task_service().enqueue({.name = groups_update, .args = boost::json::object{{"user_id", 7}}});
    CHECK(first.error.empty());
    CHECK(second.duplicate);
    CHECK(queued(app, groups_update) == 1);
    aa::test::drop_database(dir.path());
  }
}
