// The embedded task queue: rows of task_queue in the instance database.
// A claim is one atomic step on both databases (an UPDATE of the oldest
// ready row on SQLite, SELECT ... FOR UPDATE SKIP LOCKED on MariaDB), so no
// task runs twice at once, and a task stays in its row until it finishes,
// so killing the process loses nothing: its claim expires and another
// worker runs it again.
#pragma once

#include <condition_variable>
#include <mutex>

#include "aa/db.hpp"
#include "tasks/backend.hpp"

namespace aa::core {

class DbTaskBackend final : public TaskBackend {
 public:
  DbTaskBackend(aa::Database& database, BackendSettings settings);

  std::string name() const override { return "embedded"; }
  std::optional<std::string> enqueue(TaskMessage message) override;
  std::optional<ClaimedTask> claim(const std::vector<std::string>& queues) override;
  void wait_for_work(const std::vector<std::string>& queues, std::chrono::milliseconds timeout) override;
  void wake_up() override;
  bool renew(const ClaimedTask& task) override;
  bool finish(const ClaimedTask& task) override;
  bool requeue(const ClaimedTask& task, const TaskMessage& updated) override;
  void maintain() override;
  bool claim_tick(const std::string& entry, long long tick_unix_seconds) override;
  QueueLength queue_length() override;
  void record(const std::string& task, TaskOutcome outcome) override;
  std::vector<TaskCounts> statistics(long long since_unix_seconds) override;

 private:
  /// Returns true when a task with `once_key` is queued or running, and
  /// marks a running one to run once more after it finishes.
  static bool key_held(soci::session& sql, const std::string& once_key);
  std::optional<long long> pick_sqlite(soci::session& sql, const std::vector<std::string>& queues,
                                       const std::string& token, long long now);
  std::optional<long long> pick_mysql(soci::session& sql, const std::vector<std::string>& queues,
                                      const std::string& token, long long now);

  aa::Database& database_;
  BackendSettings settings_;
  std::mutex wake_mutex_;
  std::condition_variable wake_;
  long long wake_generation_ = 0;
  long long last_cleanup_ms_ = 0;
};

}  // namespace aa::core
