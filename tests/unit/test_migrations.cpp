// Migrator on both databases: core migrations down to zero and up again,
// partial moves of a plugin's set, a failing step, and targets out of range.
#include <doctest/doctest.h>

#include <algorithm>

#include "db/core_migrations.hpp"
#include "db/migrator.hpp"
#include "test_support.hpp"

using namespace aa::core;

namespace {

std::vector<std::string> table_names(aa::Database& database) {
  soci::session sql(database.pool());
  std::string query = database.dialect() == aa::Dialect::sqlite
                          ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                          : "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()";
  soci::rowset<std::string> rows = sql.prepare << query;
  std::vector<std::string> names(rows.begin(), rows.end());
  std::sort(names.begin(), names.end());
  return names;
}

bool has_table(aa::Database& database, const std::string& name) {
  auto names = table_names(database);
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string join(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// A plugin with two tables, one per migration. `broken_second` makes the
// second step fail with an SQL error.
MigrationSet sample_plugin(bool broken_second = false) {
  MigrationSet set;
  set.plugin = "unitsample";
  set.migrations.push_back({1, "initial",
                            [](aa::Schema& s) {
                              s.exec("CREATE TABLE unitsample_timers (" + s.auto_id() +
                                     ", name VARCHAR(100) NOT NULL)" + s.table_options());
                            },
                            [](aa::Schema& s) { s.exec("DROP TABLE unitsample_timers"); }});
  set.migrations.push_back({2, "add_notes",
                            [broken_second](aa::Schema& s) {
                              if (broken_second) s.exec("CREATE TABLE unitsample_notes (no columns here)");
                              s.exec("CREATE TABLE unitsample_notes (" + s.auto_id() + ", text VARCHAR(100))" +
                                     s.table_options());
                            },
                            [](aa::Schema& s) { s.exec("DROP TABLE unitsample_notes"); }});
  return set;
}

}  // namespace

TEST_CASE("migrations: core down to zero and up again") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    auto& db = database.db();
    Migrator migrator(db);
    auto core = core_migrations();
    const int latest = static_cast<int>(core.migrations.size());
    REQUIRE(migrator.applied_number("core") == latest);
    auto migrated_tables = table_names(db);
    CHECK(migrated_tables.size() > 20);

    // Core's parts refer to core tables, so they go first, as `migrate core
    // zero` does it.
    std::vector<std::string> progress;
    auto parts = core_part_migrations();
    for (auto part = parts.rbegin(); part != parts.rend(); ++part) migrator.migrate(*part, 0);
    migrator.migrate(core, 0, [&](const std::string& line) { progress.push_back(line); });
    CHECK(migrator.applied_number("core") == 0);
    CHECK(join(progress).find("Reverted core 1 initial") != std::string::npos);
    // Only the migrations table itself is left.
    CHECK(table_names(db) == std::vector<std::string>{"aa_migrations"});
    auto pending = migrator.pending({core});
    REQUIRE(pending.size() == core.migrations.size());
    CHECK(pending[0].plugin == "core");
    CHECK(pending[0].number == 1);
    CHECK(pending[0].name == "initial");

    progress.clear();
    migrator.migrate(core, std::nullopt, [&](const std::string& line) { progress.push_back(line); });
    CHECK(migrator.applied_number("core") == latest);
    CHECK(join(progress).find("Applied core 1 initial") != std::string::npos);
    for (const auto& part : parts) migrator.migrate(part, std::nullopt);
    CHECK(table_names(db) == migrated_tables);
    CHECK(migrator.pending({core}).empty());
    soci::session sql(db.pool());
    long long states = 0;
    sql << "SELECT COUNT(*) FROM states", soci::into(states);
    CHECK(states == 3);

    // Migrating to where it already is does nothing.
    progress.clear();
    migrator.migrate(core, latest, [&](const std::string& line) { progress.push_back(line); });
    CHECK(progress.empty());
  }
}

TEST_CASE("migrations: plugin set moves step by step") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    auto& db = database.db();
    Migrator migrator(db);
    auto plugin = sample_plugin();
    CHECK(migrator.pending({core_migrations(), plugin}).size() == 2);

    migrator.migrate(plugin, 1);
    CHECK(migrator.applied_number("unitsample") == 1);
    CHECK(has_table(db, "unitsample_timers"));
    CHECK_FALSE(has_table(db, "unitsample_notes"));
    auto pending = migrator.pending({core_migrations(), plugin});
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].name == "add_notes");

    migrator.migrate(plugin, std::nullopt);
    CHECK(migrator.applied_number("unitsample") == 2);
    CHECK(has_table(db, "unitsample_notes"));

    migrator.migrate(plugin, 1);
    CHECK(migrator.applied_number("unitsample") == 1);
    CHECK(has_table(db, "unitsample_timers"));
    CHECK_FALSE(has_table(db, "unitsample_notes"));

    // Removing the plugin's tables leaves core alone.
    migrator.migrate(plugin, 0);
    CHECK(migrator.applied_number("unitsample") == 0);
    CHECK_FALSE(has_table(db, "unitsample_timers"));
    CHECK(migrator.applied_number("core") == static_cast<int>(core_migrations().migrations.size()));
    CHECK(has_table(db, "users"));
  }
}

TEST_CASE("migrations: failing step names the migration") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    auto& db = database.db();
    Migrator migrator(db);

    CHECK_THROWS_WITH_AS(migrator.migrate(sample_plugin(true), std::nullopt),
                         doctest::Contains("applying unitsample 2 (add_notes) failed"), std::runtime_error);
    // The step before the failure stays applied and recorded.
    CHECK(migrator.applied_number("unitsample") == 1);
    CHECK(has_table(db, "unitsample_timers"));
    CHECK_FALSE(has_table(db, "unitsample_notes"));

    // Once fixed, the migration continues where it stopped.
    migrator.migrate(sample_plugin(), std::nullopt);
    CHECK(migrator.applied_number("unitsample") == 2);
  }
}

TEST_CASE("migrations: target out of range names the plugin") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    Migrator migrator(database.db());

    const int latest = static_cast<int>(core_migrations().migrations.size());
    const std::string expected = "plugin core has migrations 1 to " + std::to_string(latest) + "; cannot migrate to " +
                                 std::to_string(latest + 1);
    CHECK_THROWS_WITH_AS(migrator.migrate(core_migrations(), latest + 1), doctest::Contains(expected.c_str()),
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(migrator.migrate(sample_plugin(), 3), doctest::Contains("plugin unitsample"),
                         std::runtime_error);
    CHECK_THROWS_WITH_AS(migrator.migrate(sample_plugin(), -1), doctest::Contains("cannot migrate to -1"),
                         std::runtime_error);
    // Nothing moved.
    CHECK(migrator.applied_number("core") == latest);
    CHECK(migrator.applied_number("unitsample") == 0);
  }
}
