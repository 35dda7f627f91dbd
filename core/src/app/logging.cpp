#include "app/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
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

// Writes control characters in messages as escapes (\n, \r, \xNN), so a
// value from a request cannot start a forged line in the log.
class ControlEscapingSink final : public spdlog::sinks::sink {
 public:
  explicit ControlEscapingSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {}

  void log(const spdlog::details::log_msg& message) override {
    std::string_view payload(message.payload.data(), message.payload.size());
    bool clean = std::none_of(payload.begin(), payload.end(),
                              [](unsigned char c) { return c < 0x20 || c == 0x7f; });
    if (clean) {
      inner_->log(message);
      return;
    }
    std::string escaped;
    escaped.reserve(payload.size() + 16);
    for (unsigned char c : payload) {
      if (c == '\n') {
        escaped += "\\n";
      } else if (c == '\r') {
        escaped += "\\r";
      } else if (c < 0x20 || c == 0x7f) {
        static constexpr char kHex[] = "0123456789abcdef";
        escaped += "\\x";
        escaped.push_back(kHex[c >> 4]);
        escaped.push_back(kHex[c & 0x0f]);
      } else {
        escaped.push_back(static_cast<char>(c));
      }
    }
    spdlog::details::log_msg copy = message;
    copy.payload = escaped;
    inner_->log(copy);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  spdlog::sink_ptr inner_;
};

std::shared_ptr<spdlog::logger> make_logger(const std::string& name, const LogOptions& options,
                                            const std::string& file, const std::string& level) {
  std::vector<spdlog::sink_ptr> sinks;
  if (options.console) {
    sinks.push_back(std::make_shared<ControlEscapingSink>(std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
  }
  if (!options.directory.empty()) {
    std::filesystem::create_directories(options.directory);
    sinks.push_back(std::make_shared<ControlEscapingSink>(
        std::make_shared<spdlog::sinks::basic_file_sink_mt>((options.directory / file).string())));
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
