#include "tasks/task_service.hpp"

#include <boost/json.hpp>

#include "tasks/message.hpp"

namespace aa::core {

TaskService::TaskService(std::vector<const TaskDecl*> tasks, std::unique_ptr<TaskBackend> backend,
                         TaskSettings settings)
    : backend_(std::move(backend)), settings_(settings) {
  for (const auto* task : tasks) tasks_[task->name] = task;
}

const TaskDecl* TaskService::find(const std::string& name) const {
  auto it = tasks_.find(name);
  return it == tasks_.end() ? nullptr : it->second;
}

std::vector<std::string> TaskService::task_names() const {
  std::vector<std::string> names;
  for (const auto& [name, task] : tasks_) names.push_back(name);
  return names;
}

std::string TaskService::check(const TaskCall& call) const {
  const auto* task = find(call.name);
  if (!task) return "unknown task '" + call.name + "'; `allianceauth call --list` lists the registered tasks";
  if (call.priority < -1 || call.priority > 9) {
    return "priority " + std::to_string(call.priority) + " of task " + call.name + " is not between 0 and 9";
  }
  if (call.countdown.count() < 0) return "countdown of task " + call.name + " is negative";
  if (task->check_args) {
    try {
      if (auto problem = task->check_args(call.args); !problem.empty()) {
        return "arguments " + boost::json::serialize(call.args) + " do not fit task " + call.name + ": " + problem;
      }
    } catch (const std::exception& error) {
      return "the argument check of task " + call.name + " failed: " + error.what();
    }
  }
  return {};
}

Enqueued TaskService::enqueue(const TaskCall& call) { return enqueue_chain({call}); }

Enqueued TaskService::enqueue_chain(const std::vector<TaskCall>& calls) {
  Enqueued result;
  if (calls.empty()) {
    result.error = "an empty chain has nothing to enqueue";
    return result;
  }
  // Every call is checked now, so a bad later link is reported to the
  // caller instead of failing in a worker.
  for (const auto& call : calls) {
    if (auto problem = check(call); !problem.empty()) {
      result.error = problem;
      return result;
    }
  }
  return store(calls.front(), std::vector<TaskCall>(calls.begin() + 1, calls.end()));
}

Enqueued TaskService::store(const TaskCall& call, const std::vector<TaskCall>& rest) {
  const auto* task = find(call.name);
  TaskMessage message;
  message.name = call.name;
  message.args = boost::json::serialize(call.args);
  message.priority = call.priority >= 0 ? call.priority : task->priority;
  message.queue = call.queue.empty() ? task->queue : call.queue;
  message.max_retries = task->max_retries;
  message.retry_pause_seconds = task->retry_pause.count();
  if (task->only_once) message.once_key = once_key(call.name, call.args);
  message.enqueued_ms = unix_now_ms();
  message.eta_ms = message.enqueued_ms + std::chrono::duration_cast<std::chrono::milliseconds>(call.countdown).count();
  if (!rest.empty()) message.chain = chain_to_json(rest);

  Enqueued result;
  try {
    auto id = backend_->enqueue(std::move(message));
    if (!id) {
      result.duplicate = true;
      return result;
    }
    result.id = *id;
  } catch (const std::exception& error) {
    result.error = "could not enqueue task " + call.name + " on the " + backend_->name() + " queue: " + error.what();
  }
  return result;
}

}  // namespace aa::core
