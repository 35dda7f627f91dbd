// Builds the task queue the config asks for: `tasks.backend` embedded (the
// instance database) or redis, with the `tasks:`, `redis:` and
// `dashboard:` settings.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "aa/db.hpp"
#include "config/config.hpp"
#include "tasks/backend.hpp"
#include "tasks/redis_connection.hpp"
#include "tasks/task_service.hpp"

namespace aa::core {

TaskSettings task_settings(const Config& config);
RedisOptions redis_options(const Config& config);
/// The backend of `tasks.backend`; `database` is used by the embedded one.
std::unique_ptr<TaskBackend> make_task_backend(const Config& config, aa::Database& database);
/// Problems in the `tasks:` and `redis:` values, with their keys.
void check_task_settings(const Config& config, std::vector<ConfigProblem>& problems);

/// Describes why a worker with `concurrency` threads cannot run on the
/// configured connection pool; nothing when it can.
std::optional<std::string> worker_pool_problem(const Config& config, int concurrency);

}  // namespace aa::core
