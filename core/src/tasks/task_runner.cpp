#include "tasks/task_runner.hpp"

#include <boost/json.hpp>
#include <soci/soci.h>

#include "app/logging.hpp"
#include "tasks/failure_notice.hpp"
#include "tasks/message.hpp"

namespace aa::core {
namespace {

// SOCI's what() appends the statement and every bound value, which may be
// sealed tokens or personal data; the log gets the database's message only.
std::string error_text(const std::exception& error) {
  if (const auto* database_error = dynamic_cast<const soci::soci_error*>(&error)) {
    return "database error: " + database_error->get_error_message();
  }
  return error.what();
}

}  // namespace

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
    core_log().warn("task {} ({}) finished after its claim expired; another worker may run it again", message.name,
                    message.id);
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
  TaskMessage updated = message;
  updated.attempt += 1;
  updated.deliveries = 0;
  updated.eta_ms = unix_now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(pause).count();
  core_log().warn("task {} ({}) failed on attempt {} of {}: {}; retrying in {} s", message.name, message.id,
                  message.attempt, message.max_retries + 1, reason, pause.count());
  if (!service_.backend().requeue(task, updated)) {
    core_log().warn("task {} ({}) could not be requeued because its claim expired; it runs again anyway",
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
      if (auto problem = decl->check_args(args); !problem.empty()) {
        core_log().error("task {} ({}) has arguments {} that do not fit: {}; recorded as failed", message.name,
                         message.id, message.args, problem);
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
      auto next = service_.enqueue_chain(chain_from_json(message.chain));
      if (!next.ok()) {
        core_log().error("task {} ({}) succeeded but the rest of its chain was not enqueued: {}", message.name,
                         message.id, next.error);
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
