#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "app/paths.hpp"
#include "cli/bootstrap.hpp"
#include "tasks/redis_connection.hpp"
#include "tasks/task_setup.hpp"

namespace aa::core::cli {

namespace fs = std::filesystem;

int start(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::cerr << "usage: allianceauth start DIR\n";
    return 2;
  }
  fs::path dir(args[0]);
  // The SQLite path goes into a SOCI connection string, which cannot quote
  // a double quote.
  if (fs::absolute(dir).string().find('"') != std::string::npos) {
    std::cerr << "start: the path " << dir << " contains a double quote, which the database path cannot; "
              << "choose another directory\n";
    return 1;
  }
  if (fs::exists(dir) && !fs::is_directory(dir)) {
    std::cerr << "start: " << dir << " exists and is not a directory\n";
    return 1;
  }
  auto config_file = dir / "allianceauth.yaml";
  if (fs::exists(config_file)) {
    std::cerr << "start: " << config_file << " already exists; nothing was changed\n";
    return 1;
  }
  auto sample = share_dir() / "etc" / "allianceauth.yaml";
  std::ifstream in(sample);
  if (!in) {
    std::cerr << "start: the sample configuration " << sample << " is missing; is the installation complete?\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();

  // Each instance gets its own random secret key.
  init_crypto();
  auto config = std::regex_replace(text.str(), std::regex("(^|\\n)secret_key:[^\\n]*"),
                                   "$1secret_key: \"" + random_token(48) + "\"");
  for (const char* sub : {"templates", "static", "log", "var"}) fs::create_directories(dir / sub);
  std::ofstream out(config_file);
  out << config;
  out.close();
  fs::permissions(config_file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  std::cout << "Created instance " << fs::absolute(dir).string() << "\n"
            << "Next: edit " << config_file.string() << ", then run\n"
            << "  allianceauth --config " << config_file.string() << " migrate\n"
            << "  allianceauth --config " << config_file.string() << " serve\n";
  return 0;
}

int check(const GlobalOptions& options, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "usage: allianceauth check\n";
    return 2;
  }
  BootstrapOptions bootstrap_options;
  bootstrap_options.console_info = false;
  bootstrap_options.open_database = false;
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return 1;

  // check only looks: a mistyped SQLite path must not create an empty database.
  auto database = database_options(app->config());
  if (database.dialect == Dialect::sqlite && !fs::exists(database.connection)) {
    std::cerr << "database: the SQLite file " << database.connection
              << " does not exist; `allianceauth migrate` creates it\n";
    return 1;
  }
  try {
    app->open_database();
  } catch (const std::exception& error) {
    std::cerr << "cannot open the database: " << error.what() << "\n";
    return 1;
  }

  int problems = 0;
  for (const auto& record : app->plugins().records()) {
    if (record.status == PluginStatus::loaded) continue;
    std::cerr << "plugin " << record.name << " failed to load: " << record.reason << "\n";
    ++problems;
  }
  for (const auto& migration : app->pending_migrations()) {
    std::cerr << "pending migration: " << migration.plugin << " " << migration.number << " " << migration.name
              << "; run `allianceauth migrate`\n";
    ++problems;
  }

  // With the Redis queue no task runs and nothing can be enqueued without Redis.
  std::string redis_note;
  if (app->config().string_or("tasks.backend", "embedded") == "redis") {
    RedisConnection redis(redis_options(app->config()));
    try {
      auto reply = redis.command({"PING"});
      if (reply.type == RedisReply::Type::error) {
        throw RedisUnavailable("Redis at " + redis.where() + " refused PING: " + reply.text);
      }
      redis_note = "; Redis at " + redis.where() + " reachable";
    } catch (const RedisUnavailable& error) {
      std::cerr << "redis: " << error.what()
                << "; start redis-server, or correct redis.host, redis.port, redis.unix_socket and redis.password\n";
      ++problems;
    }
  }
  if (problems > 0) {
    std::cerr << problems << " problem(s); the daemon will not serve until they are fixed\n";
    return 1;
  }
  std::cout << "Configuration OK; database " << app->db().description() << " reachable and migrated" << redis_note
            << ".\n";
  return 0;
}

int collectstatic(const GlobalOptions& options, const std::vector<std::string>& args) {
  for (const auto& arg : args) {
    // Accepted for upstream's habit of `collectstatic --noinput`; we never ask.
    if (arg != "--noinput") {
      std::cerr << "collectstatic: unknown argument '" << arg << "'\n";
      return 2;
    }
  }
  BootstrapOptions bootstrap_options;
  bootstrap_options.open_database = false;
  bootstrap_options.console_info = false;
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return 1;
  try {
    app->prepare_resources();
    int copied = app->static_files().collect();
    std::cout << copied << " static file(s) copied to " << app->static_files().root().string() << "\n";
  } catch (const std::exception& error) {
    std::cerr << "collectstatic: " << error.what() << "\n";
    return 1;
  }
  return 0;
}

int plugins(const GlobalOptions& options, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "usage: allianceauth plugins\n";
    return 2;
  }
  BootstrapOptions bootstrap_options;
  bootstrap_options.open_database = false;
  bootstrap_options.console_info = false;
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return 1;
  const auto& records = app->plugins().records();
  if (records.empty()) std::cout << "No plugins are configured (see `plugins:` in the config).\n";
  int failed = 0;
  for (const auto& record : records) {
    std::cout << record.name << "  " << to_string(record.status);
    if (!record.version.empty()) std::cout << "  " << record.version;
    std::cout << "  " << (record.path.empty() ? "(not found)" : record.path.string()) << "\n";
    if (!record.reason.empty()) std::cout << "    reason: " << record.reason << "\n";
    if (record.status != PluginStatus::loaded) ++failed;
  }
  return failed > 0 ? 1 : 0;
}

}  // namespace aa::core::cli
