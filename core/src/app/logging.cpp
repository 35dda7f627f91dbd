#include "app/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace aa::core {
namespace {

std::mutex g_mutex;
std::shared_ptr<spdlog::logger> g_core;
std::shared_ptr<spdlog::logger> g_extensions;

spdlog::level::level_enum to_level(const std::string& name) {
  if (name == "debug") return spdlog::level::debug;
  if (name == "warning") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  if (name == "critical") return spdlog::level::critical;
  return spdlog::level::info;
}

std::shared_ptr<spdlog::logger> make_logger(const std::string& name, const LogOptions& options,
                                            const std::string& file, const std::string& level) {
  std::vector<spdlog::sink_ptr> sinks;
  if (options.console) sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!options.directory.empty()) {
    std::filesystem::create_directories(options.directory);
    sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>((options.directory / file).string()));
  }
  auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
  logger->set_level(to_level(level));
  logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] %^%-8l%$ %n: %v");
  logger->flush_on(spdlog::level::warn);
  return logger;
}

}  // namespace

void init_logging(const LogOptions& options) {
  std::lock_guard lock(g_mutex);
  g_core = make_logger("allianceauth", options, options.core_file, options.level);
  g_extensions = make_logger("extensions", options, "extensions.log", options.extensions_level);
  // spdlog's flush_every (1.10) flushes only registered loggers, so without
  // this, lines below warning level stay in the file buffer.
  for (const auto& logger : {g_core, g_extensions}) {
    spdlog::drop(logger->name());
    spdlog::register_logger(logger);
  }
  spdlog::flush_every(std::chrono::seconds(2));
}

spdlog::logger& core_log() {
  std::lock_guard lock(g_mutex);
  if (!g_core) {
    g_core = make_logger("allianceauth", LogOptions{}, "", "info");
  }
  return *g_core;
}

ExtensionLogger::ExtensionLogger(std::string name) : name_(std::move(name)) {}

void ExtensionLogger::log(LogLevel level, std::string_view message) {
  std::shared_ptr<spdlog::logger> logger;
  {
    std::lock_guard lock(g_mutex);
    if (!g_extensions) g_extensions = make_logger("extensions", LogOptions{}, "", "debug");
    logger = g_extensions;
  }
  spdlog::level::level_enum spd_level = spdlog::level::info;
  switch (level) {
    case LogLevel::debug: spd_level = spdlog::level::debug; break;
    case LogLevel::info: spd_level = spdlog::level::info; break;
    case LogLevel::warning: spd_level = spdlog::level::warn; break;
    case LogLevel::error: spd_level = spdlog::level::err; break;
    case LogLevel::critical: spd_level = spdlog::level::critical; break;
  }
  logger->log(spd_level, "[{}] {}", name_, message);
}

}  // namespace aa::core
