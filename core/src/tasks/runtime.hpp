// Worker threads and a scheduler run together: what `serve` starts for the
// embedded backend, and what `worker` and `beat` start on their own.
#pragma once

#include <memory>

#include "tasks/scheduler.hpp"
#include "tasks/worker_pool.hpp"

namespace aa::core {

class App;

class TaskRuntime {
 public:
  /// Starts `workers.concurrency` worker threads (none when 0) and, when
  /// `with_scheduler`, the scheduler over the config's `schedule:`.
  TaskRuntime(App& app, WorkerOptions workers, bool with_scheduler);
  /// Stops the scheduler, then the workers, letting running tasks finish.
  ~TaskRuntime();

  WorkerPool* workers() { return workers_.get(); }

 private:
  std::unique_ptr<WorkerPool> workers_;
  std::unique_ptr<Scheduler> scheduler_;
};

/// The worker options of the config: tasks.worker_threads and tasks.queues.
WorkerOptions worker_options(const Config& config);

}  // namespace aa::core
