// Start-up shared by the verbs: read the config, set up logging, load the
// plugins and, when asked, open the database.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "cli/commands.hpp"

namespace aa::core::cli {

struct BootstrapOptions {
  bool open_database = true;
  /// Plugins to load even though the config does not list them (migrate NAME zero).
  std::vector<std::string> extra_plugins;
  /// Log file of this process: allianceauth.log for the daemon and admin verbs.
  std::string log_file = "allianceauth.log";
  /// Log to the console too; verbs that print their own output turn it off
  /// below warnings.
  bool console_info = true;
};

/// The app, or nullptr after printing why it could not start.
std::unique_ptr<App> bootstrap(const GlobalOptions& options, const BootstrapOptions& bootstrap_options);

/// bootstrap() for the admin verbs that read and write the database: quiet
/// on the console, and nullptr after saying so while migrations are pending.
std::unique_ptr<App> bootstrap_migrated(const GlobalOptions& options);

/// Prints each config problem as "KEY: MESSAGE"; returns true when there was any.
bool print_config_problems(const std::vector<ConfigProblem>& problems);

}  // namespace aa::core::cli
