// The task verbs: `worker` and `beat` run as their own processes (Redis
// backend, or extra workers on the embedded one), `call` enqueues or runs
// one task by name.
#include <signal.h>

#include <boost/json.hpp>

#include <iostream>
#include <sstream>

#include "cli/bootstrap.hpp"
#include "tasks/message.hpp"
#include "tasks/runtime.hpp"
#include "tasks/task_setup.hpp"
#include "tasks/task_service.hpp"

namespace aa::core::cli {
namespace {

// Blocks SIGINT and SIGTERM in this thread and every thread started after,
// so wait_for_stop_signal() receives them instead of the default action.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

int wait_for_stop_signal(const sigset_t& signals) {
  int received = 0;
  sigwait(&signals, &received);
  return received;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::string item;
  std::istringstream stream(text);
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

// Refuses to run tasks against a database with pending migrations, as serve does.
bool migrations_applied(App& app) {
  auto pending = app.pending_migrations();
  if (pending.empty()) return true;
  std::cerr << "migrations are pending; run `allianceauth migrate` first:\n";
  for (const auto& migration : pending) {
    std::cerr << "  " << migration.plugin << " " << migration.number << " " << migration.name << "\n";
  }
  return false;
}

std::optional<int> parse_count(const std::string& option, const std::string& text, int min, int max) {
  try {
    std::size_t used = 0;
    int value = std::stoi(text, &used);
    if (used == text.size() && value >= min && value <= max) return value;
  } catch (const std::exception&) {
  }
  std::cerr << option << " needs a whole number from " << min << " to " << max << ", not '" << text << "'\n";
  return std::nullopt;
}

}  // namespace

int worker(const GlobalOptions& options, const std::vector<std::string>& args) {
  std::optional<int> concurrency;
  std::vector<std::string> queues;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--concurrency" && i + 1 < args.size()) {
      concurrency = parse_count("--concurrency", args[++i], 1, 256);
      if (!concurrency) return 2;
    } else if (args[i] == "--queues" && i + 1 < args.size()) {
      queues = split_list(args[++i]);
      if (queues.empty()) {
        std::cerr << "--queues needs queue names separated by commas, e.g. --queues default,bulk\n";
        return 2;
      }
    } else {
      std::cerr << "worker: unknown argument '" << args[i] << "'\n"
                << "usage: allianceauth worker [--concurrency N] [--queues NAME,NAME]\n";
      return 2;
    }
  }

  auto signals = block_stop_signals();
  BootstrapOptions bootstrap_options;
  bootstrap_options.log_file = "worker.log";
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return 1;
  if (!migrations_applied(*app)) return 1;
  // Tasks write notifications in the recipient's language.
  app->prepare_resources();

  auto worker_settings = worker_options(app->config());
  if (concurrency) worker_settings.concurrency = *concurrency;
  if (worker_settings.concurrency < 1) worker_settings.concurrency = 1;
  if (!queues.empty()) worker_settings.queues = queues;
  if (auto problem = worker_pool_problem(app->config(), worker_settings.concurrency)) {
    std::cerr << "worker: " << *problem << "\n";
    return 2;
  }
  std::cout << "worker running with " << worker_settings.concurrency << " thread(s)" << std::endl;
  {
    TaskRuntime runtime(*app, worker_settings, false);
    int received = wait_for_stop_signal(signals);
    core_log().info("worker received signal {}; finishing running tasks", received);
  }
  core_log().info("worker stopped");
  return 0;
}

int beat(const GlobalOptions& options, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "beat: unknown argument '" << args[0] << "'\nusage: allianceauth beat\n";
    return 2;
  }
  auto signals = block_stop_signals();
  BootstrapOptions bootstrap_options;
  bootstrap_options.log_file = "beat.log";
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return 1;
  if (!migrations_applied(*app)) return 1;
  std::cout << "beat running with " << app->schedule().size() << " schedule entries" << std::endl;
  {
    TaskRuntime runtime(*app, WorkerOptions{0, {}}, true);
    int received = wait_for_stop_signal(signals);
    core_log().info("beat received signal {}; stopping", received);
  }
  core_log().info("beat stopped");
  return 0;
}

namespace {

constexpr const char* kCallUsage =
    "usage: allianceauth call [--now] [--priority N] [--countdown SECONDS] [--queue NAME] TASK [JSON_ARGS]\n"
    "       allianceauth call --list\n";

int list_tasks(App& app) {
  for (const auto& owned : app.hooks().tasks) {
    const auto& task = owned.hook;
    std::cout << task.name << "  (plugin " << owned.plugin << ", priority " << task.priority << ", queue "
              << task.queue << (task.only_once ? ", only once" : "") << ")\n";
  }
  return 0;
}

// Runs the task in this process, bypassing the queue.
int run_now(App& app, const TaskCall& call) {
  const auto* task = app.task_service().find(call.name);
  try {
    TaskRun run{"call-now", call.args, 1, app};
    task->run(run);
  } catch (const std::exception& error) {
    std::cerr << "task " << call.name << " failed: " << error.what() << "\n";
    return 1;
  }
  std::cout << "task " << call.name << " succeeded\n";
  return 0;
}

}  // namespace

int call(const GlobalOptions& options, const std::vector<std::string>& args) {
  bool list = false;
  bool now = false;
  TaskCall call;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--list") {
      list = true;
    } else if (args[i] == "--now") {
      now = true;
    } else if (args[i] == "--priority" && i + 1 < args.size()) {
      auto priority = parse_count("--priority", args[++i], 0, 9);
      if (!priority) return 2;
      call.priority = *priority;
    } else if (args[i] == "--countdown" && i + 1 < args.size()) {
      auto countdown = parse_count("--countdown", args[++i], 0, 86400 * 365);
      if (!countdown) return 2;
      call.countdown = std::chrono::seconds(*countdown);
    } else if (args[i] == "--queue" && i + 1 < args.size()) {
      call.queue = args[++i];
    } else if (args[i].starts_with("--")) {
      std::cerr << "call: unknown option '" << args[i] << "'\n" << kCallUsage;
      return 2;
    } else {
      positional.push_back(args[i]);
    }
  }
  if (!list && (positional.empty() || positional.size() > 2)) {
    std::cerr << kCallUsage;
    return 2;
  }

  BootstrapOptions bootstrap_options;
  bootstrap_options.console_info = false;
  auto app = bootstrap(options, bootstrap_options);
  if (!app) return 1;
  if (list) return list_tasks(*app);

  call.name = positional[0];
  if (positional.size() == 2) {
    boost::system::error_code error;
    call.args = boost::json::parse(positional[1], error);
    if (error) {
      std::cerr << "call: the arguments '" << positional[1] << "' are not valid JSON (" << error.message()
                << "); write them as one JSON value, e.g. '{\"user_id\": 5}' or '[1, 2]'\n";
      return 2;
    }
  }
  if (auto problem = app->task_service().check(call); !problem.empty()) {
    std::cerr << "call: " << problem << "\n";
    return 1;
  }
  if (!migrations_applied(*app)) return 1;

  if (now) {
    app->prepare_resources();
    return run_now(*app, call);
  }
  auto enqueued = app->task_service().enqueue(call);
  if (!enqueued.ok()) {
    std::cerr << "call: " << enqueued.error << "\n";
    return 1;
  }
  if (enqueued.duplicate) {
    std::cout << "task " << call.name
              << " with these arguments is already queued or running; not enqueued again (a running one runs once "
                 "more when it finishes)\n";
    return 0;
  }
  std::cout << "enqueued task " << call.name << " as " << enqueued.id << " on the "
            << app->task_service().backend().name() << " queue\n";
  return 0;
}

}  // namespace aa::core::cli
