#include "child_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace aa::test {
namespace {

pid_t spawn(const std::string& program, const std::vector<std::string>& args, const std::vector<std::string>& env,
            int stdout_fd, int stderr_fd) {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry; ++entry) environment.emplace_back(*entry);
  for (const auto& entry : env) environment.push_back(entry);

  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    // A test that crashes runs no destructor, so the child would outlive it
    // (an emulator or daemon left on a port). SIGTERM follows the death of
    // the forking thread, so spawn from a thread that lives as long as the
    // child must.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);
    dup2(stdout_fd, STDOUT_FILENO);
    dup2(stderr_fd, STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto& entry : environment) envp.push_back(entry.data());
    envp.push_back(nullptr);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::vector<std::string>& env, const std::string& stderr_file) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  int err_fd = stderr_file.empty() ? dup(STDERR_FILENO)
                                   : open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_ = spawn(program, args, env, pipe_fds[1], err_fd);
  close(pipe_fds[1]);
  close(err_fd);
  stdout_fd_ = pipe_fds[0];
}

ChildProcess::~ChildProcess() {
  if (!status_ && pid_ > 0) stop(SIGTERM, std::chrono::seconds(5));
  if (stdout_fd_ >= 0) close(stdout_fd_);
}

bool ChildProcess::read_some(std::chrono::milliseconds timeout) {
  pollfd fd{stdout_fd_, POLLIN, 0};
  if (poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char buffer[4096];
  auto count = read(stdout_fd_, buffer, sizeof buffer);
  if (count <= 0) return false;
  output_.append(buffer, static_cast<std::size_t>(count));
  return true;
}

std::optional<std::string> ChildProcess::wait_for_line(const std::regex& pattern, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto newline = output_.find('\n', consumed_);
    while (newline != std::string::npos) {
      auto line = output_.substr(consumed_, newline - consumed_);
      consumed_ = newline + 1;
      std::smatch match;
      if (std::regex_search(line, match, pattern)) return match.size() > 1 ? match[1].str() : line;
      newline = output_.find('\n', consumed_);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !read_some(left)) return std::nullopt;
  }
}

std::optional<int> ChildProcess::wait(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return status_;
    }
    read_some(std::chrono::milliseconds(20));
  }
  return std::nullopt;
}

int ChildProcess::stop(int signal, std::chrono::milliseconds grace) {
  if (status_) return *status_;
  kill(pid_, signal);
  if (auto status = wait(grace)) return *status;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  status_ = -1;
  return -1;
}

CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::vector<std::string>& env, std::chrono::milliseconds timeout) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = spawn(program, args, env, pipe_fds[1], pipe_fds[1]);
  close(pipe_fds[1]);

  CommandResult result;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd fd{pipe_fds[0], POLLIN, 0};
    if (poll(&fd, 1, 100) > 0) {
      auto count = read(pipe_fds[0], buffer, sizeof buffer);
      if (count <= 0) break;
      result.output.append(buffer, static_cast<std::size_t>(count));
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  if (std::chrono::steady_clock::now() >= deadline) kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  int port = ntohs(address.sin_port);
  close(fd);
  return port;
}

}  // namespace aa::test
