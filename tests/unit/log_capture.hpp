// Routes the core log into memory for one test, at info level, so a test
// can read what was logged and the expected errors stay off the console.
// Restores the sinks and level when destroyed.
#pragma once

#include <spdlog/sinks/ringbuffer_sink.h>

#include <memory>
#include <string>
#include <vector>

#include "app/logging.hpp"

namespace aa::test {

class LogCapture {
 public:
  LogCapture() : saved_sinks_(core::core_log().sinks()), saved_level_(core::core_log().level()) {
    sink_->set_pattern("%l: %v");
    core::core_log().sinks() = {sink_};
    core::core_log().set_level(spdlog::level::info);
  }
  ~LogCapture() {
    core::core_log().sinks() = saved_sinks_;
    core::core_log().set_level(saved_level_);
  }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  /// Returns the captured lines that contain `text`.
  std::vector<std::string> lines_with(const std::string& text) const {
    std::vector<std::string> found;
    for (const auto& line : sink_->last_formatted()) {
      if (line.find(text) != std::string::npos) found.push_back(line);
    }
    return found;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_ = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
  std::vector<spdlog::sink_ptr> saved_sinks_;
  spdlog::level::level_enum saved_level_;
};

}  // namespace aa::test
