#include <iostream>

#include "cli/bootstrap.hpp"

namespace aa::core::cli {

// migrate                apply everything pending, core first
// migrate NAME           apply NAME's pending migrations
// migrate NAME N|zero    move NAME up or down to migration N
int migrate(const GlobalOptions& options, const std::vector<std::string>& args) {
  if (args.size() > 2) {
    std::cerr << "usage: allianceauth migrate [NAME [N|zero]]\n";
    return 2;
  }
  std::optional<std::string> only;
  std::optional<int> target;
  if (!args.empty()) only = args[0];
  if (args.size() == 2) {
    if (args[1] == "zero") {
      target = 0;
    } else {
      try {
        std::size_t used = 0;
        target = std::stoi(args[1], &used);
        if (used != args[1].size() || *target < 0) throw std::invalid_argument(args[1]);
      } catch (const std::exception&) {
        std::cerr << "migrate: '" << args[1] << "' is not a migration number; give a number or 'zero'\n";
        return 2;
      }
    }
  }

  BootstrapOptions bootstrap_options;
  if (only && *only != "core") bootstrap_options.extra_plugins.push_back(*only);
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return 1;

  Migrator migrator(app->db());
  std::vector<const MigrationSet*> sets;
  for (const auto& set : app->hooks().migrations) {
    if (!only || set.plugin == *only) sets.push_back(&set);
  }
  if (only && sets.empty()) {
    // A plugin without migrations is fine; an unknown one is not.
    bool known = *only == "core";
    for (const auto& record : app->plugins().records()) {
      if (record.name == *only && record.status == PluginStatus::loaded) known = true;
    }
    if (!known) {
      std::cerr << "migrate: plugin '" << *only << "' could not be loaded; see the log line above\n";
      return 1;
    }
    std::cout << "Plugin " << *only << " has no migrations.\n";
    return 0;
  }

  std::cout << "Running migrations on " << app->db().description() << ":\n";
  int changed = 0;
  for (const auto* set : sets) {
    try {
      migrator.migrate(*set, target, [&](const std::string& line) {
        std::cout << line << "\n";
        ++changed;
      });
    } catch (const std::exception& error) {
      std::cerr << "migrate: " << error.what() << "\n";
      core_log().error("migration failed: {}", error.what());
      return 1;
    }
  }
  if (changed == 0) std::cout << "  No migrations to apply.\n";
  return 0;
}

}  // namespace aa::core::cli
