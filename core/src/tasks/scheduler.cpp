#include "tasks/scheduler.hpp"

#include <boost/json.hpp>

#include "app/logging.hpp"
#include "db/database.hpp"

namespace aa::core {

Scheduler::Scheduler(TaskService& service, std::vector<ScheduleEntry> entries)
    : service_(service), entries_(std::move(entries)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::reset_clock(long long unix_seconds) {
  for (const auto& entry : entries_) last_tick_[entry.name] = unix_seconds;
}

void Scheduler::start() {
  reset_clock(unix_now());
  for (const auto& entry : entries_) {
    core_log().info("schedule entry {}: task {} at \"{}\", next at {} (Unix time, UTC)", entry.name, entry.task,
                    entry.cron.text(), entry.cron.next_after(unix_now()));
  }
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int Scheduler::run_due(long long now) {
  int sent = 0;
  for (const auto& entry : entries_) {
    long long& last = last_tick_[entry.name];
    long long tick = entry.cron.next_after(last);
    if (tick > now) continue;
    // Only the latest due tick is sent; older ones were missed.
    for (long long next = entry.cron.next_after(tick); next <= now; next = entry.cron.next_after(next)) tick = next;

    try {
      if (!service_.backend().claim_tick(entry.name, tick)) {
        core_log().debug("schedule entry {} for tick {} was sent by another scheduler", entry.name, tick);
        last = tick;
        continue;
      }
    } catch (const std::exception& error) {
      // The tick stays due, so the next pass tries again.
      core_log().error("schedule entry {} for tick {} not sent: the task queue is unreachable ({}); retrying",
                       entry.name, tick, error.what());
      continue;
    }
    last = tick;

    TaskCall call;
    call.name = entry.task;
    call.args = entry.args;
    call.priority = entry.priority;
    call.queue = entry.queue;
    auto enqueued = service_.enqueue(call);
    if (!enqueued.ok()) {
      core_log().error("schedule entry {} for tick {} not sent: {}", entry.name, tick, enqueued.error);
    } else if (enqueued.duplicate) {
      core_log().info("schedule entry {} for tick {}: task {} is still queued or running, so it was not sent again",
                      entry.name, tick, entry.task);
    } else {
      core_log().info("schedule entry {} sent task {} ({}) for tick {}", entry.name, entry.task, enqueued.id, tick);
      ++sent;
    }
  }
  return sent;
}

void Scheduler::loop() {
  while (true) {
    run_due(unix_now());
    // Wake just after the next whole second.
    auto now = std::chrono::system_clock::now();
    auto next_second = std::chrono::ceil<std::chrono::seconds>(now + std::chrono::milliseconds(1));
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, next_second + std::chrono::milliseconds(5), [this] { return stopping_; })) return;
  }
}

}  // namespace aa::core
