// Loggers for plugins. Each plugin gets a named child of the extensions
// logger; lines go to log/extensions.log and the console at the level the
// admin configures under log.extensions_level.
#pragma once

#include <string_view>

#include "aa/export.hpp"

namespace aa {

enum class LogLevel { debug, info, warning, error, critical };

/// A named logger. Safe to use from any thread. Never pass a secret.
class AA_SDK_API Logger {
 public:
  virtual ~Logger() = default;

  virtual void log(LogLevel level, std::string_view message) = 0;

  void debug(std::string_view message) { log(LogLevel::debug, message); }
  void info(std::string_view message) { log(LogLevel::info, message); }
  void warning(std::string_view message) { log(LogLevel::warning, message); }
  void error(std::string_view message) { log(LogLevel::error, message); }
};

}  // namespace aa
