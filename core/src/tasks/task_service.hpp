// The task queue that core and plugins see as aa::TaskQueue. It checks each
// call against the registered declarations and passes the message to the
// backend, and it keeps the registered tasks for the workers.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "aa/tasks.hpp"
#include "tasks/backend.hpp"

namespace aa::core {

struct TaskSettings {
  BackendSettings backend;
  /// Times a task may be claimed again after its worker stopped mid-run
  /// before it is recorded as failed. This stops a task that crashes every
  /// worker that runs it.
  int max_redeliveries = 5;
  /// Record succeeded, retried and failed runs for the dashboard.
  bool record_statistics = true;
};

/// Checks `call` against `task` (null when no task has that name): "" when it
/// would be accepted, else the problem, naming the value. `core_task` says
/// whether core registered the task, which may then run at priority 0.
std::string check_task_call(const TaskCall& call, const TaskDecl* task, bool core_task);

class TaskService final : public aa::TaskQueue {
 public:
  /// `tasks` must outlive the service.
  TaskService(std::vector<const TaskDecl*> tasks, std::unique_ptr<TaskBackend> backend, TaskSettings settings);

  Enqueued enqueue(const TaskCall& call) override;
  Enqueued enqueue_chain(const std::vector<TaskCall>& calls) override;
  using aa::TaskQueue::enqueue;

  /// The declaration of `name`, or null.
  const TaskDecl* find(const std::string& name) const;
  std::vector<std::string> task_names() const;
  /// Checks a call without enqueueing it: "" when it would be accepted.
  std::string check(const TaskCall& call) const;
  /// Names the tasks core registered: only they may be enqueued at priority 0.
  void set_core_tasks(std::vector<std::string> names);

  TaskBackend& backend() { return *backend_; }
  const TaskSettings& settings() const { return settings_; }

 private:
  Enqueued store(const TaskCall& call, const std::vector<TaskCall>& rest);

  std::map<std::string, const TaskDecl*, std::less<>> tasks_;
  std::set<std::string, std::less<>> core_tasks_;
  std::unique_ptr<TaskBackend> backend_;
  TaskSettings settings_;
};

}  // namespace aa::core
