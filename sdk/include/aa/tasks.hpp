// Background tasks: named functions that core and plugins register, and
// that any process enqueues with JSON arguments. Workers run them later on
// their own threads: inside `allianceauth serve` with the embedded backend,
// in `allianceauth worker` processes with the Redis backend. Periodic runs
// come from `schedule:` in allianceauth.yaml.
//
// Delivery is at least once: a task whose worker dies mid-run runs again
// after the visibility timeout, so a task must be safe to run twice.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "aa/export.hpp"

namespace aa {

class Context;

/// Priorities as upstream Alliance Auth defines them: lower runs first. 0 is
/// reserved for core. 1-2 must run now, 3-4 soon, 5 is the default, 6-7 is for
/// bulk refreshes and 8-9 runs whenever there is time.
inline constexpr int kTaskPriorityCore = 0;
inline constexpr int kTaskPriorityDefault = 5;
inline constexpr int kTaskPriorityBulk = 7;
inline constexpr int kTaskPriorityLowest = 9;

/// Largest arguments of one call, and of all the calls of a chain together,
/// as JSON text. Pass ids and let the task read the data it needs.
inline constexpr std::size_t kTaskArgsMaxBytes = 1024 * 1024;
/// Longest countdown of a call, and longest retry pause.
inline constexpr std::chrono::seconds kTaskMaxDelay{366LL * 24 * 3600};

/// What a running task receives.
struct TaskRun {
  std::string task_id;
  /// The JSON arguments given at enqueue time (null when none were given).
  const boost::json::value& args;
  /// 1 for the first run, 2 after the first retry, and so on.
  int attempt = 1;
  /// Host services: database, ESI, loggers, and tasks() to enqueue more.
  Context& context;
};

/// Thrown by a task (see retry()) to run again after `pause` (at most
/// kTaskMaxDelay; longer pauses are cut to it). It counts
/// against the task's max_retries like a failure does, and once they are
/// used up the task is recorded as failed.
class AA_SDK_API TaskRetry : public std::runtime_error {
 public:
  TaskRetry(const std::string& reason, std::chrono::seconds pause)
      : std::runtime_error(reason), pause_(pause) {}
  std::chrono::seconds pause() const { return pause_; }

 private:
  std::chrono::seconds pause_;
};

/// Asks for another run of the current task after `pause`; never returns.
[[noreturn]] inline void retry(const std::string& reason, std::chrono::seconds pause) { throw TaskRetry(reason, pause); }

/// A task as registered with Registry::add_task.
///
/// `run` is called on a worker thread, possibly on several threads at once for
/// different enqueued calls, and never inside a web request. It may throw
/// TaskRetry to ask for a retry after its pause. Any other exception is a
/// failure: it is retried after `retry_pause` while max_retries allow, then
/// logged with the task id and recorded as failed.
struct TaskDecl {
  /// "<plugin>.<name>", e.g. "timerboard.tasks.cleanup"; core tasks start
  /// with "allianceauth.". Letters, digits, '_' and '.' only.
  std::string name;
  std::function<void(TaskRun&)> run;
  /// Checks arguments before they are enqueued and again before each run:
  /// returns "" when they fit, else a message naming the bad value. Leave it
  /// empty to accept any JSON.
  std::function<std::string(const boost::json::value& args)> check_args;
  /// 1-9 for plugins; only core may use 0.
  int priority = kTaskPriorityDefault;
  /// Workers take tasks from the queues they are started with.
  std::string queue = "default";
  /// Further runs after a failure or TaskRetry.
  int max_retries = 0;
  std::chrono::seconds retry_pause{60};
  /// A second enqueue of the same task with equal arguments is dropped
  /// while the first is queued or running. A running one then runs once
  /// more after it finishes, because it may have read its data before.
  bool only_once = false;
};

/// One enqueue. Unset priority and queue take the declaration's values.
struct TaskCall {
  std::string name;
  /// At most kTaskArgsMaxBytes as JSON text.
  boost::json::value args;
  /// 1-9; 0 only for core's tasks.
  int priority = -1;
  std::string queue;
  /// Earliest start, counted from the enqueue; at most kTaskMaxDelay.
  std::chrono::seconds countdown{0};
};

/// What enqueue returns: the new task's id, or why there is none.
struct Enqueued {
  std::string id;
  /// Empty on success. Otherwise why nothing was enqueued: an unknown task
  /// name, arguments that do not fit, or an unreachable queue.
  std::string error;
  /// True when an only-once task was already queued or running, so this
  /// call was dropped (a running one runs once more); `id` and `error` are
  /// then empty.
  bool duplicate = false;

  bool ok() const { return error.empty(); }
};

/// The task queue of the instance. Thread-safe; every call talks to the
/// queue's store (the database or Redis) and returns without waiting for
/// the task to run. Call it after the transaction whose data the task
/// reads has committed: the task may start at once on another thread.
class AA_SDK_API TaskQueue {
 public:
  virtual ~TaskQueue() = default;

  virtual Enqueued enqueue(const TaskCall& call) = 0;
  /// Enqueues `calls[0]`; each later call is enqueued when the one before
  /// it succeeds. A failure (after its retries) ends the chain.
  virtual Enqueued enqueue_chain(const std::vector<TaskCall>& calls) = 0;

  Enqueued enqueue(std::string name, boost::json::value args = nullptr) {
    TaskCall call;
    call.name = std::move(name);
    call.args = std::move(args);
    return enqueue(call);
  }
};

}  // namespace aa
