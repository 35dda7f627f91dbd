#include "tasks/schedule.hpp"

#include <boost/json.hpp>

#include <cerrno>
#include <cstdlib>

#include "db/database.hpp"

namespace aa::core {
namespace {

std::optional<long long> as_integer(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> as_double(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(text.c_str(), &end);
  if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

std::optional<ScheduleEntry> load_entry(const std::string& name, const YAML::Node& node,
                                        const std::function<bool(const std::string&)>& task_known,
                                        const std::function<std::string(const aa::TaskCall&)>& check_call,
                                        std::vector<ConfigProblem>& problems) {
  const std::string path = "schedule." + name;
  if (!node.IsMap()) {
    problems.push_back({path, "must be a section with task and cron keys"});
    return std::nullopt;
  }
  ScheduleEntry entry;
  entry.name = name;
  bool ok = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    auto key = it->first.as<std::string>();
    if (key != "task" && key != "cron" && key != "args" && key != "priority" && key != "queue") {
      problems.push_back({path + "." + key, "unknown key; an entry has task, cron, args, priority and queue"});
      ok = false;
    }
  }

  auto task = node["task"];
  if (!task || !task.IsScalar() || task.Scalar().empty()) {
    problems.push_back({path + ".task", "is missing; name the task to run"});
    ok = false;
  } else if (!task_known(task.Scalar())) {
    problems.push_back({path + ".task", "unknown task '" + task.Scalar() +
                                            "'; `allianceauth call --list` lists the registered tasks"});
    ok = false;
  } else {
    entry.task = task.Scalar();
  }

  auto cron = node["cron"];
  if (!cron || !cron.IsScalar()) {
    problems.push_back({path + ".cron", "is missing; write a cron expression such as \"0 */6 * * *\""});
    ok = false;
  } else {
    try {
      entry.cron = CronExpression::parse(cron.Scalar());
      entry.cron.next_after(unix_now());
    } catch (const std::invalid_argument& error) {
      problems.push_back({path + ".cron", error.what()});
      ok = false;
    }
  }

  if (auto args = node["args"]) entry.args = yaml_to_json(args);
  if (auto priority = node["priority"]) {
    auto value = priority.IsScalar() ? as_integer(priority.Scalar()) : std::nullopt;
    if (!value || *value < 0 || *value > 9) {
      problems.push_back({path + ".priority", "must be a whole number from 0 to 9, not '" + YAML::Dump(priority) + "'"});
      ok = false;
    } else {
      entry.priority = static_cast<int>(*value);
    }
  }
  if (auto queue = node["queue"]) {
    if (!queue.IsScalar() || queue.Scalar().empty()) {
      problems.push_back({path + ".queue", "must be a queue name"});
      ok = false;
    } else {
      entry.queue = queue.Scalar();
    }
  }
  if (!ok) return std::nullopt;

  // The call each tick makes, checked as an enqueue would check it, so a
  // bad entry is reported by `check` instead of failing at every tick.
  aa::TaskCall call;
  call.name = entry.task;
  call.args = entry.args;
  call.priority = entry.priority;
  call.queue = entry.queue;
  if (auto problem = check_call(call); !problem.empty()) {
    problems.push_back({path, problem});
    return std::nullopt;
  }
  return entry;
}

}  // namespace

boost::json::value yaml_to_json(const YAML::Node& node) {
  if (!node || node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    boost::json::array array;
    for (const auto& item : node) array.push_back(yaml_to_json(item));
    return array;
  }
  if (node.IsMap()) {
    boost::json::object object;
    for (auto it = node.begin(); it != node.end(); ++it) object[it->first.as<std::string>()] = yaml_to_json(it->second);
    return object;
  }
  const auto& text = node.Scalar();
  // Quoted scalars carry the tag "!"; plain ones "?".
  if (node.Tag() == "!") return boost::json::string(text);
  if (text == "true" || text == "True") return true;
  if (text == "false" || text == "False") return false;
  if (text == "~" || text == "null") return nullptr;
  if (auto integer = as_integer(text)) return *integer;
  if (auto number = as_double(text)) return *number;
  return boost::json::string(text);
}

std::vector<ScheduleEntry> load_schedule(const Config& config, const std::function<bool(const std::string&)>& task_known,
                                         const std::function<std::string(const aa::TaskCall&)>& check_call,
                                         std::vector<ConfigProblem>& problems) {
  std::vector<ScheduleEntry> entries;
  const YAML::Node& root = config.root();
  const YAML::Node schedule = root["schedule"];
  if (!schedule || schedule.IsNull()) return entries;
  if (!schedule.IsMap()) {
    problems.push_back({"schedule", "must be a section of named entries, each with task and cron"});
    return entries;
  }
  for (auto it = schedule.begin(); it != schedule.end(); ++it) {
    auto name = it->first.as<std::string>();
    if (auto entry = load_entry(name, it->second, task_known, check_call, problems)) entries.push_back(std::move(*entry));
  }
  return entries;
}

}  // namespace aa::core
