// Runs one claimed task to its end. It checks the task and calls the task
// function. Then it finishes the task, requeues it for a retry, or records
// it as failed, and on success it enqueues the next link of the chain.
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
