// Where tasks wait: the interface both queue stores implement, the embedded
// one on the instance database and the one on Redis. Every member is
// thread-safe. Members throw std::runtime_error when the store cannot be
// reached; callers log it and try again later, so nothing is lost.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tasks/message.hpp"

namespace aa::core {

/// A task a worker has claimed. `claim` identifies this claim: when it has
/// expired and another worker has claimed the task since, every call with
/// the old claim is ignored and returns false.
struct ClaimedTask {
  TaskMessage message;
  std::string claim;
};

/// Succeeded, retried and failed runs of one task over a period.
struct TaskCounts {
  std::string task;
  long long succeeded = 0;
  long long retried = 0;
  long long failed = 0;
};

enum class TaskOutcome { succeeded, retried, failed };

struct QueueLength {
  long long waiting = 0;  ///< Ready to run now.
  long long delayed = 0;  ///< Waiting for a countdown or a retry pause.
  long long running = 0;  ///< Claimed by a worker.
};

class TaskBackend {
 public:
  virtual ~TaskBackend() = default;

  /// "embedded" or "redis".
  virtual std::string name() const = 0;

  /// Stores `message` (its id is assigned here) and returns the id, or
  /// nothing when `message.once_key` is set and a task with that key is
  /// still queued or running. A running one then runs once more after it
  /// finishes, because it may have read its data before this call.
  virtual std::optional<std::string> enqueue(TaskMessage message) = 0;

  /// Takes the first ready task of `queues` (by priority, then age) and
  /// hides it from other workers for the visibility timeout. Nothing when
  /// no task is ready.
  virtual std::optional<ClaimedTask> claim(const std::vector<std::string>& queues) = 0;
  /// Waits up to `timeout` for a task to become ready or a wake_up().
  virtual void wait_for_work(const std::vector<std::string>& queues, std::chrono::milliseconds timeout) = 0;
  /// Wakes the threads of this process that wait in wait_for_work.
  virtual void wake_up() = 0;

  /// Extends the claim by another visibility timeout.
  virtual bool renew(const ClaimedTask& task) = 0;
  /// Removes a finished task (succeeded, or failed for good) and releases
  /// its only-once key. When an enqueue asked for another run meanwhile,
  /// the task is queued again instead, from its first attempt, without its
  /// chain, and keeps the key.
  virtual bool finish(const ClaimedTask& task) = 0;
  /// Stores `updated` (attempt and deliveries changed) and makes it ready
  /// again at `updated.eta_ms`; the only-once key stays held. The retry
  /// reads its data afresh, so it ends a request for another run.
  virtual bool requeue(const ClaimedTask& task, const TaskMessage& updated) = 0;

  /// Makes due delayed tasks ready and expired claims claimable again.
  /// Workers call it about once a second.
  virtual void maintain() = 0;

  /// True for exactly one caller per schedule entry and tick, across every
  /// process sharing the store.
  virtual bool claim_tick(const std::string& entry, long long tick_unix_seconds) = 0;

  virtual QueueLength queue_length() = 0;

  /// Adds one run to the statistics of the minute now.
  virtual void record(const std::string& task, TaskOutcome outcome) = 0;
  /// Counts per task since `since_unix_seconds`, by task name.
  virtual std::vector<TaskCounts> statistics(long long since_unix_seconds) = 0;
};

/// Settings shared by both backends, from the `tasks:` section.
struct BackendSettings {
  std::chrono::milliseconds visibility_timeout{300000};
  std::chrono::milliseconds poll_interval{1000};
  /// How long statistics are kept.
  std::chrono::hours statistics_hours{24};
  /// This process's clock, Unix milliseconds. Tests replace it to play a
  /// machine whose clock is off.
  std::function<long long()> clock_ms = unix_now_ms;
};

}  // namespace aa::core
