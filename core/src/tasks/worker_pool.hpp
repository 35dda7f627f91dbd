// Worker threads that claim and run tasks: inside `allianceauth serve` for
// the embedded backend, and the whole of an `allianceauth worker` process.
// A heartbeat thread renews the claims of running tasks, so a task may run
// longer than the visibility timeout, and runs the backend's maintenance.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aa/context.hpp"
#include "tasks/task_runner.hpp"

namespace aa::core {

struct WorkerOptions {
  int concurrency = 2;
  std::vector<std::string> queues{"default"};
};

class WorkerPool {
 public:
  WorkerPool(TaskService& service, aa::Context& context, WorkerOptions options);
  /// Calls stop().
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start();
  /// Takes no new task, lets running tasks finish, and returns once every
  /// thread has ended. Safe to call twice.
  void stop();
  /// Tasks running now.
  int running() const;

 private:
  void work(int index);
  void heartbeat();
  /// Sleeps up to `duration`, less when stop() is called.
  void pause(std::chrono::milliseconds duration);
  void report_unreachable(const std::exception& error);
  void report_reachable();

  TaskService& service_;
  TaskRunner runner_;
  WorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> unreachable_{false};
  int active_workers_ = 0;  ///< Worker threads not yet ended; guarded by mutex_.
  std::vector<std::thread> workers_;
  std::thread heartbeat_;
  mutable std::mutex mutex_;
  std::condition_variable stop_signal_;
  std::map<int, ClaimedTask> running_;
};

}  // namespace aa::core
