#include "tasks/worker_pool.hpp"

#include "app/logging.hpp"

namespace aa::core {

WorkerPool::WorkerPool(TaskService& service, aa::Context& context, WorkerOptions options)
    : service_(service), runner_(service, context), options_(std::move(options)) {}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::start() {
  active_workers_ = options_.concurrency;
  for (int i = 0; i < options_.concurrency; ++i) workers_.emplace_back([this, i] { work(i); });
  heartbeat_ = std::thread([this] { heartbeat(); });
}

void WorkerPool::stop() {
  if (!stopping_.exchange(true) && !workers_.empty()) {
    core_log().info("stopping task workers: {} running task(s) finish first, no new ones start", running());
  }
  stop_signal_.notify_all();
  service_.backend().wake_up();
  for (auto& thread : workers_) {
    if (thread.joinable()) thread.join();
  }
  // The heartbeat keeps renewing claims until the last task has finished.
  if (heartbeat_.joinable()) heartbeat_.join();
}

int WorkerPool::running() const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(running_.size());
}

void WorkerPool::pause(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  stop_signal_.wait_for(lock, duration, [this] { return stopping_.load(); });
}

void WorkerPool::report_unreachable(const std::exception& error) {
  // One line per outage, not one per poll.
  if (!unreachable_.exchange(true)) {
    core_log().error("the {} task queue is unreachable: {}; retrying every {} ms", service_.backend().name(),
                     error.what(), service_.settings().backend.poll_interval.count());
  }
}

void WorkerPool::report_reachable() {
  if (unreachable_.exchange(false)) core_log().info("the {} task queue is reachable again", service_.backend().name());
}

void WorkerPool::work(int index) {
  auto& backend = service_.backend();
  const auto poll = service_.settings().backend.poll_interval;
  while (!stopping_) {
    std::optional<ClaimedTask> task;
    try {
      task = backend.claim(options_.queues);
      report_reachable();
    } catch (const std::exception& error) {
      report_unreachable(error);
      pause(poll);
      continue;
    }
    if (!task) {
      try {
        backend.wait_for_work(options_.queues, poll);
      } catch (const std::exception& error) {
        report_unreachable(error);
        pause(poll);
      }
      continue;
    }

    {
      std::lock_guard lock(mutex_);
      running_[index] = *task;
    }
    runner_.run(*task);
    {
      std::lock_guard lock(mutex_);
      running_.erase(index);
    }
  }
  {
    std::lock_guard lock(mutex_);
    --active_workers_;
  }
  stop_signal_.notify_all();
}

void WorkerPool::heartbeat() {
  auto& backend = service_.backend();
  auto renew_every = service_.settings().backend.visibility_timeout / 3;
  auto last_renewal = std::chrono::steady_clock::now();
  while (true) {
    // Claims are renewed until the last worker thread has settled its task.
    {
      std::lock_guard lock(mutex_);
      if (stopping_ && active_workers_ == 0) return;
    }

    try {
      backend.maintain();
    } catch (const std::exception& error) {
      report_unreachable(error);
    }
    if (std::chrono::steady_clock::now() - last_renewal >= renew_every) {
      last_renewal = std::chrono::steady_clock::now();
      std::vector<ClaimedTask> tasks;
      {
        std::lock_guard lock(mutex_);
        for (const auto& [index, task] : running_) tasks.push_back(task);
      }
      for (const auto& task : tasks) {
        try {
          if (!backend.renew(task)) {
            core_log().warn("the claim on task {} ({}) expired while it ran; another worker may run it too",
                            task.message.name, task.message.id);
          }
        } catch (const std::exception& error) {
          core_log().warn("could not renew the claim on task {} ({}): {}", task.message.name, task.message.id,
                          error.what());
        }
      }
    }
    std::unique_lock lock(mutex_);
    stop_signal_.wait_for(lock, std::min<std::chrono::milliseconds>(std::chrono::milliseconds(1000), renew_every),
                          [this] { return stopping_ && active_workers_ == 0; });
  }
}

}  // namespace aa::core
