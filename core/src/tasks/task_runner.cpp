#include "tasks/task_runner.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include <algorithm>

#include "app/logging.hpp"
#include "db/database.hpp"
#include "tasks/failure_notice.hpp"
#include "tasks/message.hpp"

namespace aa::core {

TaskRunner::TaskRunner(TaskService& service, aa::Context& context) : service_(service), context_(context) {}

void TaskRunner::record(const std::string& name, TaskOutcome outcome) {
  if (!service_.settings().record_statistics) return;
  try {
    service_.backend().record(name, outcome);
  } catch (const std::exception& error) {
    core_log().warn("could not record the statistics of task {}: {}", name, error.what());
  }
}

void TaskRunner::finish(const ClaimedTask& task, TaskOutcome outcome) {
  const auto& message = task.message;
  if (!service_.backend().finish(task)) {
    core_log().warn("task {} ({}) finished, but its claim was gone (it expired, or the queue lost its data); another "
                    "worker may run it again",
                    message.name, message.id);
  }
  record(message.name, outcome);
}

void TaskRunner::settle_failure(const ClaimedTask& task, const std::string& reason, std::chrono::seconds pause) {
  const auto& message = task.message;
  if (message.attempt > message.max_retries) {
    core_log().error("task {} ({}) failed on attempt {} of {}: {}; giving up", message.name, message.id,
                     message.attempt, message.max_retries + 1, reason);
    finish(task, TaskOutcome::failed);
    notify_superusers_of_failure(context_, message.name, message.id, reason);
    return;
  }
  // Cut to the limit, so a huge pause cannot overflow the due time.
  pause = std::clamp(pause, std::chrono::seconds(0), kTaskMaxDelay);
  TaskMessage updated = message;
  updated.attempt += 1;
  updated.deliveries = 0;
  updated.eta_ms = unix_now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(pause).count();
  core_log().warn("task {} ({}) failed on attempt {} of {}: {}; retrying in {} s", message.name, message.id,
                  message.attempt, message.max_retries + 1, reason, pause.count());
  if (!service_.backend().requeue(task, updated)) {
    core_log().warn("task {} ({}) could not be requeued for its retry because its claim was gone: if it expired, "
                    "another worker runs the task again; if the queue lost its data, the task is lost",
                    message.name, message.id);
  }
  record(message.name, TaskOutcome::retried);
}

void TaskRunner::run(const ClaimedTask& task) {
  const auto& message = task.message;
  try {
    if (message.deliveries > 1 + service_.settings().max_redeliveries) {
      core_log().error("task {} ({}) was claimed {} times without finishing, so its worker stopped while running it "
                       "each time; giving up",
                       message.name, message.id, message.deliveries);
      finish(task, TaskOutcome::failed);
      return;
    }

    const auto* decl = service_.find(message.name);
    if (!decl) {
      // Another process may have the plugin that registers it: put it back
      // for later rather than lose it.
      TaskMessage updated = message;
      updated.deliveries = 0;
      updated.eta_ms = unix_now_ms() + 60000;
      core_log().error("task {} ({}) is not registered in this process; is its plugin loaded here? Put back for "
                       "another worker, due again in 60 s",
                       message.name, message.id);
      service_.backend().requeue(task, updated);
      return;
    }

    boost::json::value args;
    try {
      args = boost::json::parse(message.args);
    } catch (const std::exception& error) {
      core_log().error("task {} ({}) has arguments that are not JSON ({}); recorded as failed", message.name,
                       message.id, error.what());
      finish(task, TaskOutcome::failed);
      return;
    }
    if (decl->check_args) {
      std::string problem;
      try {
        problem = decl->check_args(args);
      } catch (const std::exception& error) {
        problem = std::string("the argument check threw: ") + error.what();
      }
      if (!problem.empty()) {
        core_log().error("task {} ({}) has arguments {} that do not fit: {}; recorded as failed", message.name,
                         message.id, shorten(message.args), problem);
        finish(task, TaskOutcome::failed);
        return;
      }
    }

    if (message.deliveries > 1) {
      core_log().warn("task {} ({}) runs again because the worker that claimed it stopped", message.name, message.id);
    }
    core_log().debug("task {} ({}) started, attempt {}", message.name, message.id, message.attempt);
    auto started = std::chrono::steady_clock::now();
    try {
      TaskRun run{message.id, args, message.attempt, context_};
      decl->run(run);
    } catch (const TaskRetry& retry) {
      settle_failure(task, std::string("retry requested: ") + retry.what(), retry.pause());
      return;
    } catch (const std::exception& error) {
      settle_failure(task, error_text(error), std::chrono::seconds(message.retry_pause_seconds));
      return;
    } catch (...) {
      settle_failure(task, "an exception that is not a std::exception", std::chrono::seconds(message.retry_pause_seconds));
      return;
    }
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);

    // The next link is enqueued before this task is removed: a crash in
    // between runs this task again rather than losing the rest of the chain.
    if (!message.chain.empty()) {
      auto rest = chain_from_json(message.chain);
      auto next = service_.enqueue_chain(rest);
      if (!next.ok()) {
        core_log().error("task {} ({}) succeeded but the rest of its chain was not enqueued: {}", message.name,
                         message.id, next.error);
      } else if (next.duplicate) {
        // An only-once link that is already queued or running ends the
        // chain here. The queued task runs as queued, and a running one runs
        // once more without a chain, so the links after it are dropped.
        core_log().warn("task {} ({}) succeeded; the next link of its chain, {}, is already queued or running, so "
                        "no second copy was enqueued (a running one runs once more when it finishes) and the {} "
                        "link(s) after it were dropped",
                        message.name, message.id, rest.front().name, rest.size() - 1);
      }
    }
    finish(task, TaskOutcome::succeeded);
    core_log().debug("task {} ({}) succeeded in {} ms", message.name, message.id, elapsed.count());
  } catch (const std::exception& error) {
    // The queue store failed while settling the task; its claim expires
    // and another worker runs it again.
    core_log().error("task {} ({}) could not be settled: {}; it runs again after the visibility timeout",
                     message.name, message.id, error_text(error));
  } catch (...) {
    core_log().error("task {} ({}) could not be settled; it runs again after the visibility timeout", message.name,
                     message.id);
  }
}

}  // namespace aa::core
