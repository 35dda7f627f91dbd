// Log set-up, as upstream lays it out: log/allianceauth.log for the core
// (INFO and up by default), log/extensions.log for plugins, and the console.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>

#include "aa/log.hpp"

namespace aa::core {

struct LogOptions {
  std::filesystem::path directory;  ///< Empty: console only.
  std::string level = "info";
  std::string extensions_level = "debug";
  bool console = true;
  /// Name of the core log file, so worker and beat processes write their own.
  std::string core_file = "allianceauth.log";
};

/// Creates the core and extensions loggers. Call once, before any thread
/// starts; calling again replaces them (tests do).
void init_logging(const LogOptions& options);

/// The core logger.
spdlog::logger& core_log();

/// A plugin logger: a child of the extensions logger named after the plugin.
class ExtensionLogger final : public aa::Logger {
 public:
  explicit ExtensionLogger(std::string name);
  void log(LogLevel level, std::string_view message) override;

 private:
  std::string name_;
};

}  // namespace aa::core
