#include <unistd.h>

#include <algorithm>
#include <iostream>

#include "cli/bootstrap.hpp"
#include "db/core_migrations.hpp"

namespace aa::core::cli {
namespace {

// Reverting deletes tables and their data. Reverting core removes every
// user, so it needs --yes or a typed "yes"; a plugin asks when a person is
// at the terminal and proceeds in scripts.
bool confirm_revert(const std::string& plugin, bool assume_yes) {
  if (assume_yes) return true;
  bool terminal = isatty(STDIN_FILENO);
  if (!terminal && plugin != "core") return true;
  if (!terminal) {
    std::cerr << "migrate: reverting core deletes every user, character, state and session; "
              << "add --yes to do it without a terminal\n";
    return false;
  }
  std::cout << "This deletes the tables of " << plugin << " and everything in them. Stop the daemon first.\n"
            << "Type yes to continue: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes";
}

}  // namespace

// migrate                apply everything pending, core first
// migrate NAME           apply NAME's pending migrations
// migrate NAME N|zero    move NAME up or down to migration N
// --yes                  revert without asking
int migrate(const GlobalOptions& options, const std::vector<std::string>& raw_args) {
  std::vector<std::string> args;
  bool assume_yes = false;
  for (const auto& arg : raw_args) {
    if (arg == "--yes") {
      assume_yes = true;
    } else {
      args.push_back(arg);
    }
  }
  if (args.size() > 2) {
    std::cerr << "usage: allianceauth migrate [NAME [N|zero]] [--yes]\n";
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
  if (only && *only != "core" && !is_core_part(*only)) bootstrap_options.extra_plugins.push_back(*only);
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return 1;

  Migrator migrator(app->db());
  std::vector<const MigrationSet*> sets;
  for (const auto& set : app->hooks().migrations) {
    // Core's parts move with core: applied after it, reverted before it.
    bool core_part = only && *only == "core" && is_core_part(set.plugin);
    if (!only || set.plugin == *only || core_part) sets.push_back(&set);
  }
  bool reverting = only && target && *target < migrator.applied_number(*only);
  if (reverting && *only == "core") std::reverse(sets.begin(), sets.end());
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

  // Reverting: ask first, and never take core below what plugins still use.
  if (reverting) {
    if (*only == "core") {
      // From the table, so plugins no longer listed in the config count too.
      std::vector<std::string> dependent;
      soci::session sql(app->db().pool());
      soci::rowset<std::string> plugins =
          sql.prepare << "SELECT DISTINCT plugin FROM aa_migrations WHERE plugin <> 'core' ORDER BY plugin";
      for (const auto& plugin : plugins) {
        if (!is_core_part(plugin)) dependent.push_back(plugin);
      }
      if (!dependent.empty()) {
        std::string list;
        for (const auto& plugin : dependent) list += (list.empty() ? "" : ", ") + plugin;
        std::cerr << "migrate: " << list << " still have migrations applied; migrate them to zero first\n";
        return 1;
      }
    }
    if (!confirm_revert(*only, assume_yes)) {
      std::cerr << "migrate: nothing was reverted\n";
      return 1;
    }
  }

  std::cout << "Running migrations on " << app->db().description() << ":\n";
  int changed = 0;
  for (const auto* set : sets) {
    // A core part goes to zero with core and is otherwise brought up to date.
    std::optional<int> set_target = target;
    if (only && set->plugin != *only) set_target = target == 0 ? std::optional<int>(0) : std::nullopt;
    try {
      migrator.migrate(*set, set_target, [&](const std::string& line) {
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
