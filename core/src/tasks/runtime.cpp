#include "tasks/runtime.hpp"

#include "app/app.hpp"
#include "app/logging.hpp"

namespace aa::core {

WorkerOptions worker_options(const Config& config) {
  WorkerOptions options;
  options.concurrency = static_cast<int>(config.int_or("tasks.worker_threads", 2));
  options.queues = config.get_list("tasks.queues");
  if (options.queues.empty()) options.queues = {"default"};
  return options;
}

TaskRuntime::TaskRuntime(App& app, WorkerOptions workers, bool with_scheduler) {
  auto& service = app.task_service();
  if (workers.concurrency > 0) {
    std::string queues;
    for (const auto& queue : workers.queues) queues += (queues.empty() ? "" : ", ") + queue;
    core_log().info("starting {} task worker thread(s) on the {} queue, taking queues: {}", workers.concurrency,
                    service.backend().name(), queues);
    workers_ = std::make_unique<WorkerPool>(service, app, std::move(workers));
    workers_->start();
  }
  if (with_scheduler) {
    auto entries = app.schedule();
    core_log().info("starting the scheduler with {} schedule entr{}", entries.size(),
                    entries.size() == 1 ? "y" : "ies");
    scheduler_ = std::make_unique<Scheduler>(service, std::move(entries));
    scheduler_->start();
  }
}

TaskRuntime::~TaskRuntime() {
  if (scheduler_) scheduler_->stop();
  if (workers_) workers_->stop();
}

}  // namespace aa::core
