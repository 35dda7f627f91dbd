// Periodic tasks from the `schedule:` section of allianceauth.yaml, one
// entry per name:
//
//   schedule:
//     run_model_update:
//       task: allianceauth.eveonline.tasks.run_model_update
//       cron: "0 */6 * * *"
//       args: {}        # optional, any YAML value, passed as JSON
//       priority: 7     # optional, else the task's own
//       queue: default  # optional, else the task's own
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <yaml-cpp/yaml.h>

#include "aa/tasks.hpp"
#include "config/config.hpp"
#include "tasks/cron.hpp"

namespace aa::core {

struct ScheduleEntry {
  std::string name;
  std::string task;
  CronExpression cron;
  boost::json::value args;
  int priority = -1;  ///< -1: the task's own.
  std::string queue;  ///< Empty: the task's own.
};

/// Reads every entry of `schedule:`. Entries with a problem are left out and
/// the problem is added to `problems` with its key path, e.g.
/// "schedule.nightly.cron". `task_known` tells whether a task name is
/// registered; `check_call` checks the call an entry makes (arguments,
/// priority) and returns "" or the problem. A config without `schedule:`
/// has no periodic tasks.
std::vector<ScheduleEntry> load_schedule(const Config& config, const std::function<bool(const std::string&)>& task_known,
                                         const std::function<std::string(const aa::TaskCall&)>& check_call,
                                         std::vector<ConfigProblem>& problems);

/// A YAML value as JSON: plain scalars become booleans, numbers or null
/// where they read as such; quoted scalars stay text.
boost::json::value yaml_to_json(const YAML::Node& node);

}  // namespace aa::core
