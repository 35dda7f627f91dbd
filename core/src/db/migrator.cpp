#include "db/migrator.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "db/database.hpp"

namespace aa::core {

Migrator::Migrator(aa::Database& database) : database_(database) {}

void Migrator::ensure_table() {
  soci::session sql(database_.pool());
  Schema schema(sql, database_.dialect());
  schema.exec(
      "CREATE TABLE IF NOT EXISTS aa_migrations ("
      "plugin VARCHAR(100) NOT NULL, "
      "number INTEGER NOT NULL, "
      "name VARCHAR(255) NOT NULL, "
      "applied_at BIGINT NOT NULL, "
      "PRIMARY KEY (plugin, number))" +
      schema.table_options());
}

int Migrator::applied_number(const std::string& plugin) {
  soci::session sql(database_.pool());
  long long highest = 0;
  soci::indicator indicator = soci::i_ok;
  sql << "SELECT MAX(number) FROM aa_migrations WHERE plugin = :plugin", soci::use(plugin),
      soci::into(highest, indicator);
  return indicator == soci::i_ok ? static_cast<int>(highest) : 0;
}

std::vector<PendingMigration> Migrator::pending(const std::vector<MigrationSet>& sets) {
  std::vector<PendingMigration> result;
  for (const auto& set : sets) {
    int applied = applied_number(set.plugin);
    for (const auto& migration : set.migrations) {
      if (migration.number > applied) result.push_back({set.plugin, migration.number, migration.name});
    }
  }
  return result;
}

void Migrator::migrate(const MigrationSet& set, std::optional<int> target,
                       const std::function<void(const std::string&)>& progress) {
  int last = set.migrations.empty() ? 0 : set.migrations.back().number;
  int goal = target.value_or(last);
  if (goal < 0 || goal > last) {
    throw std::runtime_error("plugin " + set.plugin + " has migrations 1 to " + std::to_string(last) +
                             "; cannot migrate to " + std::to_string(goal));
  }
  int applied = applied_number(set.plugin);
  auto report = [&](const std::string& line) {
    if (progress) progress(line);
  };

  soci::session sql(database_.pool());
  Schema schema(sql, database_.dialect());

  // Forward: every migration above the applied number up to the goal.
  for (const auto& migration : set.migrations) {
    if (migration.number <= applied || migration.number > goal) continue;
    try {
      aa::WriteTransaction transaction(sql);
      migration.up(schema);
      long long now = unix_now();
      sql << "INSERT INTO aa_migrations (plugin, number, name, applied_at) VALUES (:plugin, :number, :name, :at)",
          soci::use(set.plugin), soci::use(migration.number), soci::use(migration.name), soci::use(now);
      transaction.commit();
    } catch (const std::exception& error) {
      throw std::runtime_error("applying " + set.plugin + " " + std::to_string(migration.number) + " (" +
                               migration.name + ") failed: " + error.what());
    }
    report("  Applied " + set.plugin + " " + std::to_string(migration.number) + " " + migration.name);
  }

  // Backward: revert from the applied number down to just above the goal.
  for (auto it = set.migrations.rbegin(); it != set.migrations.rend(); ++it) {
    const auto& migration = *it;
    if (migration.number > applied || migration.number <= goal) continue;
    try {
      aa::WriteTransaction transaction(sql);
      migration.down(schema);
      sql << "DELETE FROM aa_migrations WHERE plugin = :plugin AND number = :number", soci::use(set.plugin),
          soci::use(migration.number);
      transaction.commit();
    } catch (const std::exception& error) {
      throw std::runtime_error("reverting " + set.plugin + " " + std::to_string(migration.number) + " (" +
                               migration.name + ") failed: " + error.what());
    }
    report("  Reverted " + set.plugin + " " + std::to_string(migration.number) + " " + migration.name);
  }
}

}  // namespace aa::core
