// Numbered, reversible migrations per plugin ("core" included), recorded in
// the aa_migrations table and applied only by `allianceauth migrate`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aa/db.hpp"

namespace aa::core {

/// The migrations of one plugin, numbered 1..n without gaps.
struct MigrationSet {
  std::string plugin;
  std::vector<Migration> migrations;
};

/// A migration that has not been applied yet.
struct PendingMigration {
  std::string plugin;
  int number = 0;
  std::string name;
};

class Migrator {
 public:
  explicit Migrator(aa::Database& database);

  /// Creates aa_migrations when it does not exist yet.
  void ensure_table();
  /// The highest applied number of `plugin`; 0 when none is.
  int applied_number(const std::string& plugin);
  /// Every migration of `sets` not applied yet, in the order migrate applies them.
  std::vector<PendingMigration> pending(const std::vector<MigrationSet>& sets);

  /// Moves `set` to `target` (its last migration when empty): applies the
  /// missing ones in order, or reverts down to `target` (0 removes every
  /// table of the plugin). Each step runs in its own transaction and is
  /// recorded when it succeeds, so a failure leaves the steps before it
  /// applied. Throws std::runtime_error naming the plugin, the migration and
  /// the database error. `progress` receives one line per step.
  void migrate(const MigrationSet& set, std::optional<int> target,
               const std::function<void(const std::string&)>& progress = {});

 private:
  aa::Database& database_;
};

}  // namespace aa::core
