#include "tasks/task_setup.hpp"

#include "app/app.hpp"
#include "tasks/db_backend.hpp"
#include "tasks/redis_backend.hpp"
#include "tasks/schedule.hpp"

namespace aa::core {

TaskSettings task_settings(const Config& config) {
  TaskSettings settings;
  settings.backend.visibility_timeout =
      std::chrono::seconds(config.int_or("tasks.visibility_timeout_seconds", 300));
  settings.backend.poll_interval = std::chrono::milliseconds(config.int_or("tasks.poll_interval_ms", 1000));
  settings.backend.statistics_hours = std::chrono::hours(config.int_or("dashboard.tasks_max_hours", 24));
  settings.max_redeliveries = static_cast<int>(config.int_or("tasks.max_redeliveries", 5));
  settings.record_statistics = config.bool_or("dashboard.task_statistics", true);
  return settings;
}

RedisOptions redis_options(const Config& config) {
  RedisOptions options;
  options.host = config.string_or("redis.host", "127.0.0.1");
  options.port = static_cast<int>(config.int_or("redis.port", 6379));
  options.unix_socket = config.string_or("redis.unix_socket", "");
  options.password = config.string_or("redis.password", "");
  options.database = static_cast<int>(config.int_or("redis.database", 0));
  options.timeout = std::chrono::milliseconds(config.int_or("redis.timeout_ms", 5000));
  return options;
}

std::unique_ptr<TaskBackend> make_task_backend(const Config& config, aa::Database& database) {
  auto settings = task_settings(config).backend;
  if (config.string_or("tasks.backend", "embedded") == "redis") {
    return std::make_unique<RedisTaskBackend>(redis_options(config), config.string_or("redis.prefix", "aa"), settings);
  }
  return std::make_unique<DbTaskBackend>(database, settings);
}

void check_task_settings(const Config& config, std::vector<ConfigProblem>& problems) {
  auto backend = config.string_or("tasks.backend", "embedded");
  if (backend != "embedded" && backend != "redis") {
    problems.push_back({"tasks.backend", "must be embedded or redis, not '" + backend + "'"});
  }
  struct Range {
    const char* key;
    long long min;
    long long max;
  };
  for (const auto& range : {Range{"tasks.worker_threads", 0, 256}, Range{"tasks.visibility_timeout_seconds", 1, 86400},
                            Range{"tasks.poll_interval_ms", 10, 60000}, Range{"tasks.max_redeliveries", 0, 1000},
                            Range{"redis.port", 1, 65535},
                            Range{"redis.database", 0, 15}, Range{"redis.timeout_ms", 100, 600000},
                            Range{"dashboard.tasks_max_hours", 1, 720}}) {
    auto value = config.int_or(range.key, range.min);
    if (value < range.min || value > range.max) {
      problems.push_back({range.key, "must be between " + std::to_string(range.min) + " and " +
                                         std::to_string(range.max) + ", not " + std::to_string(value)});
    }
  }
  for (const auto& queue : config.get_list("tasks.queues")) {
    if (queue.empty()) problems.push_back({"tasks.queues", "contains an empty queue name"});
  }

  // A view or task that holds its connection leases a second one to queue
  // a task on the embedded backend. With no more connections than such
  // threads, every thread can hold one and wait for another without end.
  // One connection more than threads always lets one of them go on.
  auto pool_size = config.int_or("database.pool_size", 8);
  auto view_threads = config.int_or("server.worker_threads", 4);
  auto task_threads = backend == "embedded" ? config.int_or("tasks.worker_threads", 2) : 0;
  auto needed = view_threads + task_threads + 1;
  if (pool_size < needed) {
    auto threads = backend == "embedded" ? "server.worker_threads + tasks.worker_threads (" + std::to_string(view_threads) +
                                               " + " + std::to_string(task_threads) + ")"
                                         : "server.worker_threads (" + std::to_string(view_threads) + ")";
    problems.push_back({"database.pool_size", "must be at least " + std::to_string(needed) + ", one more than " +
                                                  threads + ", not " + std::to_string(pool_size) +
                                                  ", because a thread that queues a task uses two connections at "
                                                  "once. Raise pool_size or lower the thread counts."});
  }
}

std::optional<std::string> worker_pool_problem(const Config& config, int concurrency) {
  auto pool_size = config.int_or("database.pool_size", 8);
  if (pool_size > concurrency) return std::nullopt;
  return "database.pool_size is " + std::to_string(pool_size) + " but the worker runs " + std::to_string(concurrency) +
         " threads. A task can use two connections at once, so pool_size must be at least " +
         std::to_string(concurrency + 1) + ". Raise it or lower --concurrency.";
}

void App::open_task_queue() {
  std::vector<const TaskDecl*> tasks;
  std::vector<std::string> core_tasks;
  for (const auto& owned : hooks_.tasks) {
    tasks.push_back(&owned.hook);
    if (owned.plugin == "core") core_tasks.push_back(owned.hook.name);
  }
  tasks_ = std::make_unique<TaskService>(std::move(tasks), make_task_backend(config_, *database_),
                                         task_settings(config_));
  tasks_->set_core_tasks(std::move(core_tasks));
}

aa::TaskQueue& App::tasks() { return task_service(); }

TaskService& App::task_service() {
  if (!tasks_) throw std::logic_error("the task queue is not open yet");
  return *tasks_;
}

std::vector<ScheduleEntry> App::schedule() const {
  std::vector<ConfigProblem> problems;
  return load_schedule(
      config_, [this](const std::string& name) { return has_task(name); },
      [this](const TaskCall& call) { return check_scheduled_call(call); }, problems);
}

std::string App::check_scheduled_call(const TaskCall& call) const {
  for (const auto& owned : hooks_.tasks) {
    if (owned.hook.name == call.name) return check_task_call(call, &owned.hook, owned.plugin == "core");
  }
  return check_task_call(call, nullptr, false);
}

bool App::has_task(const std::string& name) const {
  for (const auto& owned : hooks_.tasks) {
    if (owned.hook.name == name) return true;
  }
  return false;
}

}  // namespace aa::core
