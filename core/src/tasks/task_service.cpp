#include "tasks/task_service.hpp"

#include <boost/json.hpp>

#include "db/database.hpp"
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

void TaskService::set_core_tasks(std::vector<std::string> names) {
  core_tasks_ = std::set<std::string, std::less<>>(names.begin(), names.end());
}

std::string check_task_call(const TaskCall& call, const TaskDecl* task, bool core_task) {
  if (!task) {
    return "unknown task '" + shorten(call.name) + "'; `allianceauth call --list` lists the registered tasks";
  }
  if (call.priority < -1 || call.priority > 9) {
    return "priority " + std::to_string(call.priority) + " of task " + call.name + " is not between 0 and 9";
  }
  if (call.priority == kTaskPriorityCore && !core_task) {
    return "priority 0 of task " + call.name + " is reserved for core tasks; use 1 to 9";
  }
  if (call.countdown.count() < 0 || call.countdown > kTaskMaxDelay) {
    return "countdown of " + std::to_string(call.countdown.count()) + " s for task " + call.name +
           " is not between 0 and " + std::to_string(kTaskMaxDelay.count()) + " s";
  }
  auto size = boost::json::serialize(call.args).size();
  if (size > kTaskArgsMaxBytes) {
    return "arguments of task " + call.name + " are " + std::to_string(size) + " bytes of JSON, over the limit of " +
           std::to_string(kTaskArgsMaxBytes) + "; pass ids and let the task read the data";
  }
  if (task->check_args) {
    try {
      if (auto problem = task->check_args(call.args); !problem.empty()) {
        return "arguments " + shorten(boost::json::serialize(call.args)) + " do not fit task " + call.name + ": " +
               problem;
      }
    } catch (const std::exception& error) {
      return "the argument check of task " + call.name + " failed: " + error.what();
    }
  }
  return {};
}

std::string TaskService::check(const TaskCall& call) const {
  return check_task_call(call, find(call.name), core_tasks_.contains(call.name));
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
  std::size_t total = 0;
  for (const auto& call : calls) {
    if (auto problem = check(call); !problem.empty()) {
      result.error = problem;
      return result;
    }
    total += boost::json::serialize(call.args).size();
  }
  if (total > kTaskArgsMaxBytes) {
    result.error = "the arguments of the chain starting with task " + calls.front().name + " are " +
                   std::to_string(total) + " bytes of JSON together, over the limit of " +
                   std::to_string(kTaskArgsMaxBytes) + "; pass ids and let the tasks read the data";
    return result;
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
    result.error = "could not enqueue task " + call.name + " on the " + backend_->name() + " queue: " + error_text(error);
  }
  return result;
}

}  // namespace aa::core
