// The task queue on Redis, shared by any number of web daemons, workers and
// schedulers on any number of machines. Keys, under a prefix (default "aa"):
//
//   P:task:ID          the message, JSON
//   P:queue:NAME       ready tasks of a queue: sorted set, score priority * 1e12 + sequence
//   P:delayed          tasks waiting for a countdown or retry: sorted set, score due time in ms
//   P:running          claimed tasks: sorted set, score end of the claim in ms
//   P:claims           hash ID -> claim token of the current claim
//   P:deliveries       hash ID -> claims since enqueue or last retry
//   P:notify:NAME      list that wakes workers blocked in BLPOP
//   P:once:KEY         only-once lock, value ID; held while task ID exists
//   P:rerun:ID         set when an only-once enqueue found task ID running; it then runs once more
//   P:tick:ENTRY:T     the scheduler's once-per-tick lock, expires after a day
//   P:stats:MINUTE     hash "outcome|task" -> runs
//   P:broken           hash ID -> text of a stored message that is not a task message (written by hand)
//
// Every change that touches several keys is one Lua script, so it is
// atomic. Times (claims, countdowns, retry pauses) are read from Redis's
// clock inside the scripts, so the clocks of the machines do not matter.
// Delivery is at least once: a claim that is not renewed within the
// visibility timeout (the worker died) is made ready again.
#pragma once

#include "tasks/backend.hpp"
#include "tasks/redis_connection.hpp"

namespace aa::core {

class RedisTaskBackend final : public TaskBackend {
 public:
  RedisTaskBackend(RedisOptions options, std::string prefix, BackendSettings settings);

  std::string name() const override { return "redis"; }
  std::optional<std::string> enqueue(TaskMessage message) override;
  std::optional<ClaimedTask> claim(const std::vector<std::string>& queues) override;
  void wait_for_work(const std::vector<std::string>& queues, std::chrono::milliseconds timeout) override;
  void wake_up() override {}
  bool renew(const ClaimedTask& task) override;
  bool finish(const ClaimedTask& task) override;
  bool requeue(const ClaimedTask& task, const TaskMessage& updated) override;
  void maintain() override;
  bool claim_tick(const std::string& entry, long long tick_unix_seconds) override;
  QueueLength queue_length() override;
  void record(const std::string& task, TaskOutcome outcome) override;
  std::vector<TaskCounts> statistics(long long since_unix_seconds) override;

  /// Deletes every key under the prefix; for tests.
  void clear();

 private:
  /// Runs a script by its SHA-1, loading it first when Redis does not have
  /// it (after a restart, for one). Throws RedisUnavailable or, on a script
  /// error, std::runtime_error.
  RedisReply script(RedisConnection& connection, const std::string& body, std::vector<std::string> args);

  /// Milliseconds from now, on this process's clock, until `eta_ms`; 0
  /// when it has passed. Scripts add it to the time of Redis.
  long long delay_until(long long eta_ms) const;

  RedisPool pool_;
  std::string prefix_;
  BackendSettings settings_;
};

}  // namespace aa::core
