#include "cli/bootstrap.hpp"

#include <iostream>

namespace aa::core::cli {

bool print_config_problems(const std::vector<ConfigProblem>& problems) {
  for (const auto& problem : problems) std::cerr << "config: " << problem.key << ": " << problem.message << "\n";
  return !problems.empty();
}

std::unique_ptr<App> bootstrap(const GlobalOptions& options, const BootstrapOptions& bootstrap_options) {
  std::optional<Config> config;
  try {
    config = Config::load(options.config_path);
  } catch (const std::exception& error) {
    std::cerr << "cannot load the configuration: " << error.what()
              << "\n(create an instance with `allianceauth start DIR`, or pass --config FILE)\n";
    return nullptr;
  }

  LogOptions log;
  log.directory = config->path("paths.log");
  log.level = config->string_or("log.level", "info");
  log.extensions_level = config->string_or("log.extensions_level", "debug");
  log.console = config->bool_or("log.console", true);
  log.core_file = bootstrap_options.log_file;
  try {
    init_logging(log);
  } catch (const std::exception& error) {
    std::cerr << "cannot open the log directory " << log.directory << ": " << error.what() << "\n";
    return nullptr;
  }
  if (!bootstrap_options.console_info) core_log().set_level(spdlog::level::warn);

  auto app = std::make_unique<App>(std::move(*config));
  app->load_plugins(bootstrap_options.extra_plugins);
  if (print_config_problems(app->check_config())) {
    std::cerr << "fix the configuration in " << options.config_path << " and try again\n";
    return nullptr;
  }
  if (!bootstrap_options.open_database) return app;
  try {
    app->open_database();
    app->open_task_queue();
  } catch (const std::exception& error) {
    std::cerr << "cannot open the database: " << error.what() << "\n";
    core_log().critical("cannot open the database: {}", error.what());
    return nullptr;
  }
  return app;
}

std::unique_ptr<App> bootstrap_migrated(const GlobalOptions& options) {
  BootstrapOptions bootstrap_options;
  bootstrap_options.console_info = false;
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return nullptr;
  if (!app->pending_migrations().empty()) {
    std::cerr << "migrations are pending; run `allianceauth migrate` first\n";
    return nullptr;
  }
  return app;
}

}  // namespace aa::core::cli
