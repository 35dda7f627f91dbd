// A child process for tests: started with arguments and extra environment,
// its stdout read line by line, killed and reaped at scope end.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace aa::test {

class ChildProcess {
 public:
  /// Starts `program` with `args`; `env` entries ("NAME=value") are added to
  /// this process's environment. stderr goes to `stderr_file` when given.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::vector<std::string>& env = {}, const std::string& stderr_file = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Reads stdout until a line matches `pattern` and returns its first
  /// capture group (or the whole line). Nothing on timeout or end of output.
  std::optional<std::string> wait_for_line(const std::regex& pattern, std::chrono::milliseconds timeout);
  /// Sends `signal` and waits for the exit status; -1 when it had to be killed.
  int stop(int signal = 15, std::chrono::milliseconds grace = std::chrono::seconds(10));
  /// Waits for the process to exit on its own; the exit status, or nothing on timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  /// Everything read from stdout so far.
  const std::string& output() const { return output_; }
  pid_t pid() const { return pid_; }

 private:
  bool read_some(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string output_;
  std::size_t consumed_ = 0;
  std::optional<int> status_;
};

/// Runs a command to completion and returns its exit status and stdout+stderr.
struct CommandResult {
  int status = -1;
  std::string output;
};
CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(60));

/// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

}  // namespace aa::test
