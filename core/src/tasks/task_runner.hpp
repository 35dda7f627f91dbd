// Runs one claimed task to its end: checks it, calls the task function, and
// then finishes it, requeues it for a retry, or records it as failed;
// enqueues the next link of its chain on success.
#pragma once

#include "aa/context.hpp"
#include "tasks/task_service.hpp"

namespace aa::core {

class TaskRunner {
 public:
  TaskRunner(TaskService& service, aa::Context& context);

  /// Never throws: every error is logged with the task name and id.
  void run(const ClaimedTask& task);

 private:
  void settle_failure(const ClaimedTask& task, const std::string& reason, std::chrono::seconds pause);
  void finish(const ClaimedTask& task, TaskOutcome outcome);
  void record(const std::string& name, TaskOutcome outcome);

  TaskService& service_;
  aa::Context& context_;
};

}  // namespace aa::core
