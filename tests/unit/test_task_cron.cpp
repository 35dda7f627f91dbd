// Cron expressions and the `schedule:` config section.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "config/config.hpp"
#include "tasks/cron.hpp"
#include "tasks/schedule.hpp"

using aa::core::CronExpression;

namespace {

// 2024-03-15 10:20:30 UTC, a Friday.
constexpr long long kFriday = 1710498030;

bool known(const std::string& name) { return name == "allianceauth.known"; }

// allianceauth.known takes no arguments and is not a core task.
std::string check_call(const aa::TaskCall& call) {
  if (!call.args.is_null() && !(call.args.is_object() && call.args.as_object().contains("limit"))) {
    return "arguments " + boost::json::serialize(call.args) + " do not fit task " + call.name;
  }
  if (call.priority == 0) return "priority 0 of task " + call.name + " is reserved for core tasks";
  return {};
}

std::vector<aa::core::ConfigProblem> schedule_problems(const std::string& yaml) {
  auto config = aa::core::Config::from_string(yaml, "/tmp");
  std::vector<aa::core::ConfigProblem> problems;
  aa::core::load_schedule(config, known, check_call, problems);
  return problems;
}

}  // namespace

TEST_CASE("cron: malformed fields name the value") {
  CHECK_THROWS_WITH_AS(CronExpression::parse("* * *"), doctest::Contains("has 3 fields; expected 5"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(CronExpression::parse("0 25 * * *"), doctest::Contains("hour '25' is out of range 0-23"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(CronExpression::parse("x * * * *"), doctest::Contains("minute 'x' is not a number"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(CronExpression::parse("*/0 * * * *"), doctest::Contains("minute step '0'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(CronExpression::parse("0 0 * 13 *"), doctest::Contains("month '13'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(CronExpression::parse("0 5-2 * * *"), doctest::Contains("ends before it starts"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(CronExpression::parse("0,,5 * * * *"), doctest::Contains("empty list item"),
                       std::invalid_argument);
}

TEST_CASE("cron: next times of common expressions") {
  CHECK(CronExpression::parse("* * * * *").next_after(kFriday) == kFriday + 30);
  // Every six hours on the hour: 12:00.
  CHECK(CronExpression::parse("0 */6 * * *").next_after(kFriday) == kFriday - 10 * 3600 - 20 * 60 - 30 + 12 * 3600);
  // Quarter past each hour: 11:15 after 10:20:30.
  CHECK(CronExpression::parse("15 * * * *").next_after(kFriday) == kFriday + 55 * 60 - 30);
  // Midnight on Mondays: Friday + 3 days minus the time of day.
  long long friday_midnight = kFriday - (10 * 3600 + 20 * 60 + 30);
  CHECK(CronExpression::parse("0 0 * * mon").next_after(kFriday) == friday_midnight + 3 * 86400);
  CHECK(CronExpression::parse("0 0 * * 1").next_after(kFriday) == friday_midnight + 3 * 86400);
  // Sunday as 7 and as 0.
  CHECK(CronExpression::parse("0 0 * * 7").next_after(kFriday) == friday_midnight + 2 * 86400);
  CHECK(CronExpression::parse("0 0 * * 0").next_after(kFriday) == friday_midnight + 2 * 86400);
  // The first of April.
  CHECK(CronExpression::parse("0 0 1 apr *").next_after(kFriday) == friday_midnight + 17 * 86400);
  // Day of month or day of week when both are restricted: the 16th (Saturday) or a Monday.
  CHECK(CronExpression::parse("0 0 16 * 1").next_after(kFriday) == friday_midnight + 86400);
}

TEST_CASE("cron: seconds field runs more often") {
  auto every_two = CronExpression::parse("*/2 * * * * *");
  CHECK(every_two.next_after(kFriday) == kFriday + 2);
  CHECK(every_two.next_after(kFriday + 1) == kFriday + 2);
  CHECK(every_two.matches(kFriday));
  CHECK_FALSE(every_two.matches(kFriday + 1));
}

TEST_CASE("cron: impossible date never matches") {
  auto never = CronExpression::parse("0 0 31 2 *");
  CHECK_THROWS_WITH_AS(never.next_after(kFriday), doctest::Contains("never matches"), std::invalid_argument);
}

TEST_CASE("schedule: valid entries load") {
  auto config = aa::core::Config::from_string(
      "schedule:\n"
      "  nightly:\n    task: allianceauth.known\n    cron: \"0 3 * * *\"\n    args: {limit: 5, name: \"7\"}\n"
      "    priority: 7\n",
      "/tmp");
  std::vector<aa::core::ConfigProblem> problems;
  auto entries = aa::core::load_schedule(config, known, check_call, problems);
  CHECK(problems.empty());
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == "nightly");
  CHECK(entries[0].priority == 7);
  CHECK(entries[0].args.at("limit").as_int64() == 5);
  // A quoted number stays text.
  CHECK(entries[0].args.at("name").as_string() == "7");
}

TEST_CASE("schedule: problems name the key and value") {
  auto problems = schedule_problems("schedule:\n  bad:\n    task: allianceauth.unknown\n    cron: \"61 * * * *\"\n");
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].key == "schedule.bad.task");
  CHECK(problems[0].message.find("unknown task 'allianceauth.unknown'") != std::string::npos);
  CHECK(problems[1].key == "schedule.bad.cron");
  CHECK(problems[1].message.find("minute '61' is out of range") != std::string::npos);

  problems = schedule_problems("schedule:\n  x:\n    task: allianceauth.known\n");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].key == "schedule.x.cron");

  problems = schedule_problems("schedule:\n  x:\n    task: allianceauth.known\n    cron: \"* * * * *\"\n"
                               "    priority: 12\n    when: now\n");
  REQUIRE(problems.size() == 2);
  CHECK(problems[0].key == "schedule.x.when");
  CHECK(problems[1].key == "schedule.x.priority");

  // The call a tick would make is checked too.
  problems = schedule_problems("schedule:\n  x:\n    task: allianceauth.known\n    cron: \"* * * * *\"\n"
                               "    args: [1, 2]\n");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].key == "schedule.x");
  CHECK(problems[0].message == "arguments [1,2] do not fit task allianceauth.known");
  problems = schedule_problems("schedule:\n  x:\n    task: allianceauth.known\n    cron: \"* * * * *\"\n"
                               "    priority: 0\n");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.find("priority 0 of task allianceauth.known is reserved") != std::string::npos);

  problems = schedule_problems("schedule: [a, b]\n");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].key == "schedule");
}
