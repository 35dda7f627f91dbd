// The scheduler ("beat"): enqueues each `schedule:` entry at the times its
// cron expression names. Several schedulers may run at once, one per
// daemon or `allianceauth beat` process, because the backend's claim_tick
// lets only one of them enqueue an entry for a given tick. A tick missed
// while no scheduler ran is skipped. After an outage only the latest missed
// tick of each entry is sent.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "tasks/schedule.hpp"
#include "tasks/task_service.hpp"

namespace aa::core {

class Scheduler {
 public:
  Scheduler(TaskService& service, std::vector<ScheduleEntry> entries);
  /// Calls stop().
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Starts the scheduler thread; ticks from now on count.
  void start();
  void stop();

  /// Sends every entry with a tick in (its last tick, now]; returns how many
  /// this scheduler sent. The thread calls it about once a second; tests
  /// call it directly.
  int run_due(long long now_unix_seconds);
  /// Counts ticks from `unix_seconds` on, as start() does with the time now.
  void reset_clock(long long unix_seconds);

 private:
  void loop();

  TaskService& service_;
  std::vector<ScheduleEntry> entries_;
  std::map<std::string, long long> last_tick_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace aa::core
