// Background tasks end to end: the real daemon, worker and beat processes
// with the test_tasks plugin, on SQLite and MariaDB, with the embedded
// queue and with the Redis server scripts/test starts. The reliability
// cases kill processes with SIGKILL and restart Redis under load.
#include <signal.h>

#include <doctest/doctest.h>

#include <algorithm>

#include <chrono>
#include <fstream>
#include <functional>
#include <regex>
#include <set>
#include <thread>

#include "harness.hpp"

using namespace aa::test;
using namespace std::chrono_literals;

namespace {

// Config for the test_tasks plugin with short timeouts, so a lost claim
// is taken over within a second or two.
std::string tasks_yaml(const std::string& backend_yaml) {
  return "plugin_dirs:\n  - \"" + test_plugin_dir().string() +
         "\"\nplugins: [test_tasks]\napps_with_public_views: [test_tasks]\n"
         "tasks:\n  visibility_timeout_seconds: 1\n  poll_interval_ms: 100\n  worker_threads: 1\n" +
         backend_yaml;
}

std::string redis_yaml(int port, const std::string& extra = {}) {
  static int counter = 0;
  return "  backend: redis\nredis:\n  port: " + std::to_string(port) + "\n  prefix: aa_it_" +
         std::to_string(::getpid()) + "_" + std::to_string(counter++) + "\n" + extra;
}

long long runs(Daemon& daemon, const std::string& label, const std::string& phase) {
  long long count = 0;
  daemon.db() << "SELECT COUNT(*) FROM test_tasks_runs WHERE label = :label AND phase = :phase", soci::use(label),
      soci::use(phase), soci::into(count);
  return count;
}

// The maximum number of runs of `label` under way at the same time, from
// the order in which the runs wrote their rows.
int max_overlap(Daemon& daemon, const std::string& label) {
  int running = 0;
  int maximum = 0;
  soci::rowset<std::string> phases =
      (daemon.db().prepare << "SELECT phase FROM test_tasks_runs WHERE label = :label ORDER BY id", soci::use(label));
  for (const auto& phase : phases) {
    if (phase == "started") maximum = std::max(maximum, ++running);
    if (phase == "done") --running;
  }
  return maximum;
}

long long all_runs(Daemon& daemon, const std::string& phase) {
  long long count = 0;
  daemon.db() << "SELECT COUNT(*) FROM test_tasks_runs WHERE phase = :phase", soci::use(phase), soci::into(count);
  return count;
}

CommandResult call(Daemon& daemon, const std::string& task, const std::string& args) {
  return daemon.cli({"call", task, args});
}

// An `allianceauth worker` or `beat` process on the daemon's config.
std::unique_ptr<ChildProcess> start_verb(Daemon& daemon, std::vector<std::string> verb_args,
                                         const std::string& ready_line) {
  std::vector<std::string> args{"--config", daemon.config_file().string()};
  args.insert(args.end(), verb_args.begin(), verb_args.end());
  auto process = std::make_unique<ChildProcess>((bin_dir() / "allianceauth").string(), args,
                                                std::vector<std::string>{}, (daemon.dir() / "verb.err").string());
  if (!process->wait_for_line(std::regex(ready_line), 15s)) {
    throw std::runtime_error(verb_args[0] + " did not start:\n" + read_file(daemon.dir() / "verb.err"));
  }
  return process;
}

std::unique_ptr<ChildProcess> start_worker(Daemon& daemon, int concurrency = 1) {
  return start_verb(daemon, {"worker", "--concurrency", std::to_string(concurrency)}, "worker running");
}

}  // namespace

TEST_CASE("tasks: call rejects bad input") {
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Emulator emulator;
    Daemon daemon(backend, emulator, tasks_yaml(""));
    // A task already waits in the queue; no rejected call may touch it.
    REQUIRE(daemon.cli({"call", "--countdown", "600", "test_tasks.record", R"({"label": "waiting"})"}).status == 0);
    REQUIRE(count_rows(daemon.db(), "task_queue") == 1);

    auto unknown = call(daemon, "test_tasks.nope", "{}");
    CHECK(unknown.status == 1);
    CHECK(unknown.output.find("unknown task 'test_tasks.nope'") != std::string::npos);

    auto bad_json = call(daemon, "test_tasks.record", "{label: x");
    CHECK(bad_json.status == 2);
    CHECK(bad_json.output.find("'{label: x' are not valid JSON") != std::string::npos);

    auto misfit = call(daemon, "test_tasks.record", "[1]");
    CHECK(misfit.status == 1);
    CHECK(misfit.output.find("do not fit task test_tasks.record") != std::string::npos);

    // A task that takes no arguments refuses some.
    auto extra = call(daemon, "allianceauth.eveonline.tasks.run_model_update", R"({"all": true})");
    CHECK(extra.status == 1);
    CHECK(extra.output.find(R"(arguments {"all":true} do not fit task allianceauth.eveonline.tasks.run_model_update: )"
                            "this task takes no arguments") != std::string::npos);

    // Priority 0 is core's.
    auto urgent = daemon.cli({"call", "--priority", "0", "test_tasks.record", R"({"label": "urgent"})"});
    CHECK(urgent.status == 1);
    CHECK(urgent.output.find("priority 0 of task test_tasks.record is reserved for core tasks") != std::string::npos);

    auto list = daemon.cli({"call", "--list"});
    CHECK(list.status == 0);
    CHECK(list.output.find("allianceauth.eveonline.tasks.run_model_update") != std::string::npos);
    CHECK(list.output.find("test_tasks.once  (plugin test_tasks, priority 5, queue default, only once)") !=
          std::string::npos);

    // The rejected calls queued nothing and lost nothing; a good one runs in the daemon.
    CHECK(count_rows(daemon.db(), "task_queue") == 1);
    auto good = call(daemon, "test_tasks.record", R"({"label": "good"})");
    CHECK(good.status == 0);
    CHECK(good.output.find("enqueued task test_tasks.record") != std::string::npos);
    CHECK(wait_until([&] { return runs(daemon, "good", "done") == 1; }, 10s));
    CHECK(wait_until([&] { return count_rows(daemon.db(), "task_queue") == 1; }, 5s));
    CHECK(runs(daemon, "waiting", "done") == 0);
  }
}

TEST_CASE("tasks: check rejects a bad schedule") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, tasks_yaml(""));
  std::ofstream(daemon.config_file(), std::ios::app)
      << "schedule:\n  bad_cron:\n    task: test_tasks.noop\n    cron: \"61 * * * *\"\n"
         "  bad_task:\n    task: test_tasks.missing\n    cron: \"0 * * * *\"\n"
         "  bad_args:\n    task: test_tasks.record\n    cron: \"0 * * * *\"\n    args: [1]\n";
  auto checked = daemon.cli({"check"});
  CHECK(checked.status == 1);
  CHECK(checked.output.find("schedule.bad_cron.cron: minute '61' is out of range 0-59") != std::string::npos);
  CHECK(checked.output.find("schedule.bad_task.task: unknown task 'test_tasks.missing'") != std::string::npos);
  CHECK(checked.output.find("schedule.bad_args: arguments [1] do not fit task test_tasks.record: expected "
                            "{\"label\": \"...\"}") != std::string::npos);
}

TEST_CASE("tasks: check reaches Redis") {
  if (redis_port() == 0) return;
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, tasks_yaml(redis_yaml(redis_port())));
  auto reachable = daemon.cli({"check"});
  CHECK(reachable.status == 0);
  CHECK(reachable.output.find("; Redis at 127.0.0.1:" + std::to_string(redis_port()) + " reachable.") !=
        std::string::npos);

  // The same instance with Redis on a port nothing listens on.
  int closed = free_port();
  auto text = read_file(daemon.config_file());
  auto redis_section = "redis:\n  port: " + std::to_string(redis_port()) + "\n";
  REQUIRE(text.find(redis_section) != std::string::npos);
  text.replace(text.find(redis_section), redis_section.size(), "redis:\n  port: " + std::to_string(closed) + "\n");
  auto other = daemon.dir() / "closed-redis.yaml";
  std::ofstream(other) << text;
  auto refused = run_command((bin_dir() / "allianceauth").string(), {"--config", other.string(), "check"});
  CHECK(refused.status == 1);
  CHECK(refused.output.find("redis: cannot connect to Redis at 127.0.0.1:" + std::to_string(closed)) !=
        std::string::npos);
  CHECK(refused.output.find("start redis-server, or correct redis.host") != std::string::npos);
}

TEST_CASE("tasks: embedded daemon killed keeps queued tasks") {
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Emulator emulator;
    Daemon daemon(backend, emulator, tasks_yaml(""));
    for (int i = 0; i < 4; ++i) {
      auto result = call(daemon, "test_tasks.sleep", R"({"label": "k)" + std::to_string(i) + R"(", "ms": 400})");
      REQUIRE(result.status == 0);
    }
    // One worker thread: kill the daemon while the first task runs.
    REQUIRE(wait_until([&] { return runs(daemon, "k0", "started") == 1; }, 10s));
    daemon.kill();
    CHECK(runs(daemon, "k3", "started") == 0);
    CHECK(count_rows(daemon.db(), "task_queue") >= 3);

    // After a restart every task runs, the interrupted one again.
    daemon.start();
    bool all_done = wait_until(
        [&] {
          for (int i = 0; i < 4; ++i) {
            if (runs(daemon, "k" + std::to_string(i), "done") != 1) return false;
          }
          return true;
        },
        20s);
    CHECK(all_done);
    CHECK(runs(daemon, "k0", "started") == 2);
    CHECK(wait_until([&] { return count_rows(daemon.db(), "task_queue") == 0; }, 5s));
    CHECK(wait_until([&] { return daemon.log().find("runs again because the worker that claimed it stopped") !=
                                  std::string::npos; },
                     5s));
  }
}

TEST_CASE("tasks: retries and a schedule in the daemon") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator,
                tasks_yaml("schedule:\n  often:\n    task: test_tasks.record\n    cron: \"* * * * * *\"\n"
                           "    args: {label: scheduled}\n"));
  auto flaky = call(daemon, "test_tasks.flaky", R"({"label": "flaky", "succeed_on": 2})");
  REQUIRE(flaky.status == 0);
  CHECK(wait_until([&] { return runs(daemon, "flaky", "done") == 1; }, 10s));
  CHECK(runs(daemon, "flaky", "started") == 2);
  CHECK(wait_until([&] { return runs(daemon, "scheduled", "done") >= 2; }, 10s));
  // The log is flushed every 2 s.
  CHECK(wait_until([&] { return daemon.log().find("schedule entry often sent task test_tasks.record") !=
                                std::string::npos; },
                   5s));
}

TEST_CASE("tasks: worker killed mid-task runs it again") {
  if (redis_port() == 0) return;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Emulator emulator;
    Daemon daemon(backend, emulator, tasks_yaml(redis_yaml(redis_port())));
    auto first = start_worker(daemon);
    REQUIRE(call(daemon, "test_tasks.sleep", R"({"label": "victim", "ms": 1500})").status == 0);
    REQUIRE(wait_until([&] { return runs(daemon, "victim", "started") == 1; }, 10s));
    first->stop(SIGKILL);
    CHECK(runs(daemon, "victim", "done") == 0);

    auto second = start_worker(daemon);
    CHECK(wait_until([&] { return runs(daemon, "victim", "done") == 1; }, 15s));
    CHECK(runs(daemon, "victim", "started") == 2);
    // Nothing more runs later.
    std::this_thread::sleep_for(1500ms);
    CHECK(runs(daemon, "victim", "started") == 2);
    CHECK(second->stop() == 0);
  }
}

TEST_CASE("tasks: graceful worker stop finishes running tasks") {
  if (redis_port() == 0) return;
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, tasks_yaml(redis_yaml(redis_port())));
  auto worker = start_worker(daemon, 2);
  for (int i = 0; i < 4; ++i) {
    REQUIRE(call(daemon, "test_tasks.sleep", R"({"label": "g)" + std::to_string(i) + R"(", "ms": 1000})").status == 0);
  }
  REQUIRE(wait_until([&] { return all_runs(daemon, "started") == 2; }, 10s));
  CHECK(worker->stop(SIGTERM, 10s) == 0);
  // Both running tasks finished; the other two were left queued.
  CHECK(all_runs(daemon, "done") == 2);
  CHECK(all_runs(daemon, "started") == 2);
  auto log = read_file(daemon.dir() / "log" / "worker.log");
  CHECK(log.find("finishing running tasks") != std::string::npos);
  CHECK(log.find("worker stopped") != std::string::npos);

  auto next = start_worker(daemon, 2);
  CHECK(wait_until([&] { return all_runs(daemon, "done") == 4; }, 10s));
}

TEST_CASE("tasks: worker takes only its queues") {
  if (redis_port() == 0) return;
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, tasks_yaml(redis_yaml(redis_port())));
  auto bad_concurrency = daemon.cli({"worker", "--concurrency", "0"});
  CHECK(bad_concurrency.status == 2);
  CHECK(bad_concurrency.output.find("--concurrency needs a whole number from 1 to 256, not '0'") != std::string::npos);
  auto bad_queues = daemon.cli({"worker", "--queues", ","});
  CHECK(bad_queues.status == 2);
  CHECK(bad_queues.output.find("--queues needs queue names") != std::string::npos);
  // The test config's pool has 8 connections; 8 threads could all wait.
  auto too_many = daemon.cli({"worker", "--concurrency", "8"});
  CHECK(too_many.status == 2);
  CHECK(too_many.output.find("pool_size must be at least 9") != std::string::npos);

  auto bulk = start_verb(daemon, {"worker", "--concurrency", "3", "--queues", "bulk,slow"}, "worker running with 3");
  REQUIRE(daemon.cli({"call", "--queue", "slow", "test_tasks.record", R"({"label": "on-slow"})"}).status == 0);
  REQUIRE(call(daemon, "test_tasks.record", R"({"label": "on-default"})").status == 0);
  CHECK(wait_until([&] { return runs(daemon, "on-slow", "done") == 1; }, 10s));
  std::this_thread::sleep_for(1s);
  CHECK(runs(daemon, "on-default", "done") == 0);
  CHECK(bulk->stop() == 0);

  auto any = start_worker(daemon);
  CHECK(wait_until([&] { return runs(daemon, "on-default", "done") == 1; }, 10s));
}

TEST_CASE("tasks: only once holds across two workers") {
  if (redis_port() == 0) return;
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, tasks_yaml(redis_yaml(redis_port())));
  auto one = start_worker(daemon, 2);
  auto two = start_worker(daemon, 2);
  const std::string args = R"({"label": "solo", "ms": 1500})";
  REQUIRE(call(daemon, "test_tasks.once", args).status == 0);
  for (int i = 0; i < 3; ++i) {
    auto again = call(daemon, "test_tasks.once", args);
    CHECK(again.status == 0);
    CHECK(again.output.find("already queued or running") != std::string::npos);
  }
  REQUIRE(wait_until([&] { return runs(daemon, "solo", "started") == 1; }, 10s));
  // Not enqueued while it runs on one of the workers, but the running task
  // may have read its data already, so it runs once more afterwards, on
  // either worker, and never twice at once.
  for (int i = 0; i < 2; ++i) {
    auto during = call(daemon, "test_tasks.once", args);
    CHECK(during.output.find("already queued or running") != std::string::npos);
  }
  CHECK(wait_until([&] { return runs(daemon, "solo", "done") == 2; }, 10s));
  CHECK(runs(daemon, "solo", "started") == 2);
  CHECK(max_overlap(daemon, "solo") == 1);

  // Once it has finished, the same call is accepted again.
  auto after = call(daemon, "test_tasks.once", args);
  CHECK(after.output.find("enqueued task test_tasks.once") != std::string::npos);
  CHECK(wait_until([&] { return runs(daemon, "solo", "done") == 3; }, 10s));
}

TEST_CASE("tasks: two beats send each tick once") {
  if (redis_port() == 0) return;
  Emulator emulator;
  Daemon daemon("sqlite3", emulator,
                tasks_yaml(redis_yaml(redis_port(), "schedule:\n  every_second:\n    task: test_tasks.record\n"
                                                    "    cron: \"* * * * * *\"\n    args: {label: tick}\n")));
  auto worker = start_worker(daemon, 2);
  auto beat_one = start_verb(daemon, {"beat"}, "beat running");
  auto beat_two = start_verb(daemon, {"beat"}, "beat running");
  std::this_thread::sleep_for(4500ms);
  CHECK(beat_one->stop() == 0);
  CHECK(beat_two->stop() == 0);

  // Both beats log to log/beat.log; every tick appears once among the sends.
  auto log = read_file(daemon.dir() / "log" / "beat.log");
  std::regex sent_line("schedule entry every_second sent task test_tasks.record \\(\\S+\\) for tick (\\d+)");
  std::multiset<std::string> ticks;
  for (std::sregex_iterator it(log.begin(), log.end(), sent_line), end; it != end; ++it) ticks.insert((*it)[1]);
  std::set<std::string> distinct(ticks.begin(), ticks.end());
  CHECK(ticks.size() >= 3);
  CHECK(ticks.size() == distinct.size());
  CHECK(wait_until([&] { return runs(daemon, "tick", "done") == static_cast<long long>(ticks.size()); }, 10s));
  std::this_thread::sleep_for(500ms);
  CHECK(runs(daemon, "tick", "done") == static_cast<long long>(ticks.size()));

  // Each process logs to its own file, plugins to extensions.log.
  CHECK(log.find("starting the scheduler with 1 schedule entry") != std::string::npos);
  CHECK(log.find("task worker thread") == std::string::npos);
  CHECK(worker->stop() == 0);
  auto worker_log = read_file(daemon.dir() / "log" / "worker.log");
  CHECK(worker_log.find("starting 2 task worker thread(s) on the redis queue") != std::string::npos);
  CHECK(worker_log.find("starting the scheduler") == std::string::npos);
  CHECK(worker_log.find("worker stopped") != std::string::npos);
  auto extensions_log = read_file(daemon.dir() / "log" / "extensions.log");
  CHECK(extensions_log.find("recorded label tick") != std::string::npos);
  auto daemon_log = read_file(daemon.dir() / "log" / "allianceauth.log");
  CHECK(daemon_log.find("serving ") != std::string::npos);
  CHECK(daemon_log.find("starting the scheduler") == std::string::npos);
  CHECK(daemon_log.find("recorded label") == std::string::npos);
}

TEST_CASE("tasks: workers survive a Redis restart") {
  Emulator emulator;
  // A Redis of this test's own, so restarting it disturbs no other test.
  TempDir redis_dir;
  int port = free_port();
  auto start_redis = [&] {
    auto redis = std::make_unique<ChildProcess>(
        "/usr/bin/redis-server",
        std::vector<std::string>{"--bind", "127.0.0.1", "--port", std::to_string(port), "--dir",
                                 redis_dir.path().string(), "--appendonly", "yes", "--appendfsync", "always",
                                 "--save", ""},
        std::vector<std::string>{}, (redis_dir.path() / "redis.err").string());
    if (!redis->wait_for_line(std::regex("Ready to accept connections"), 10s)) {
      throw std::runtime_error("redis-server did not start");
    }
    return redis;
  };
  auto redis = start_redis();
  Daemon daemon("sqlite3", emulator, tasks_yaml(redis_yaml(port)));
  auto worker = start_worker(daemon, 2);

  constexpr int kTasks = 60;
  for (int i = 0; i < kTasks; ++i) {
    REQUIRE(call(daemon, "test_tasks.sleep", R"({"label": "r)" + std::to_string(i) + R"(", "ms": 50})").status == 0);
  }
  REQUIRE(wait_until([&] { return all_runs(daemon, "done") >= 5; }, 10s));
  CHECK(redis->stop() == 0);

  // While Redis is down an enqueue fails with a clear error.
  auto refused = call(daemon, "test_tasks.record", R"({"label": "refused"})");
  CHECK(refused.status == 1);
  CHECK(refused.output.find("could not enqueue task test_tasks.record on the redis queue") != std::string::npos);
  std::this_thread::sleep_for(1s);

  redis = start_redis();
  bool all_done = wait_until(
      [&] {
        for (int i = 0; i < kTasks; ++i) {
          if (runs(daemon, "r" + std::to_string(i), "done") < 1) return false;
        }
        return true;
      },
      30s);
  CHECK(all_done);
  // Info lines reach the file at the logger's periodic flush (every 2 s).
  auto worker_log = daemon.dir() / "log" / "worker.log";
  CHECK(read_file(worker_log).find("task queue is unreachable") != std::string::npos);
  CHECK(wait_until([&] { return read_file(worker_log).find("task queue is reachable again") != std::string::npos; },
                   10s));

  // A restart that loses the data, as Redis without persistence does:
  // what was queued is gone (docs/deployment.md says so), and the worker
  // carries on with whatever is enqueued after it.
  REQUIRE(call(daemon, "test_tasks.sleep", R"({"label": "long", "ms": 3000})").status == 0);
  REQUIRE(daemon.cli({"call", "--countdown", "600", "test_tasks.record", R"({"label": "lost"})"}).status == 0);
  REQUIRE(wait_until([&] { return runs(daemon, "long", "started") == 1; }, 10s));
  CHECK(redis->stop() == 0);
  std::filesystem::remove_all(redis_dir.path() / "appendonlydir");
  redis = start_redis();
  REQUIRE(wait_until([&] { return call(daemon, "test_tasks.record", R"({"label": "after-loss"})").status == 0; }, 10s));
  CHECK(wait_until([&] { return runs(daemon, "after-loss", "done") == 1; }, 15s));
  // The task that ran through the loss finished, and says its claim was gone.
  CHECK(wait_until([&] { return runs(daemon, "long", "done") == 1; }, 10s));
  CHECK(wait_until([&] { return read_file(worker_log).find("its claim was gone") != std::string::npos; }, 5s));
  CHECK(worker->stop() == 0);
  CHECK(runs(daemon, "lost", "done") == 0);
}

TEST_CASE("tasks: two daemons, two workers and beat") {
  if (redis_port() == 0 || backends().size() < 2) return;
  Emulator emulator;
  Daemon one("mysql", emulator, tasks_yaml(redis_yaml(redis_port())));
  // Daemon two serves the same instance on another port.
  int two_port = free_port();
  auto two = std::make_unique<ChildProcess>(
      (bin_dir() / "allianceauth").string(),
      std::vector<std::string>{"--config", one.config_file().string(), "serve", "--port", std::to_string(two_port)},
      std::vector<std::string>{}, (one.dir() / "daemon-two.err").string());
  REQUIRE(two->wait_for_line(std::regex("running at"), 15s));
  auto worker_one = start_worker(one, 2);
  auto worker_two = start_worker(one, 2);
  auto beat = start_verb(one, {"beat"}, "beat running");

  Browser browser_one(one.base_url());
  auto enqueued = browser_one.get("/test-tasks/enqueue/?label=via-one");
  REQUIRE(enqueued.status == 200);
  CHECK(enqueued.body.find("enqueued ") == 0);
  Browser browser_two("http://127.0.0.1:" + std::to_string(two_port));
  for (int i = 0; i < 20; ++i) {
    REQUIRE(browser_two.get("/test-tasks/enqueue/?label=via-two-" + std::to_string(i)).status == 200);
  }

  CHECK(wait_until([&] { return runs(one, "via-one", "done") == 1; }, 10s));
  CHECK(wait_until([&] { return all_runs(one, "done") == 21; }, 10s));
  std::this_thread::sleep_for(1500ms);
  CHECK(runs(one, "via-one", "done") == 1);
  CHECK(all_runs(one, "done") == 21);

  // Four slow tasks at once need both workers, two threads each.
  for (int i = 0; i < 4; ++i) {
    REQUIRE(call(one, "test_tasks.sleep", R"({"label": "slow)" + std::to_string(i) + R"(", "ms": 1500})").status == 0);
  }
  CHECK(wait_until([&] { return all_runs(one, "done") == 25; }, 15s));

  // The tasks ran in the workers, never in the daemons, and both took some.
  std::set<long long> pids;
  soci::rowset<long long> rows = one.db().prepare << "SELECT DISTINCT pid FROM test_tasks_runs";
  for (long long pid : rows) pids.insert(pid);
  CHECK(pids.size() == 2);
  CHECK(pids.count(worker_one->pid()) == 1);
  CHECK(pids.count(worker_two->pid()) == 1);
  CHECK(beat->stop() == 0);
  CHECK(two->stop() == 0);
}

TEST_CASE("tasks: dashboard shows task statistics") {
  for (std::string statistics : {"true", "false"}) {
    CAPTURE(statistics);
    Emulator emulator;
    Daemon daemon("sqlite3", emulator, tasks_yaml("dashboard:\n  task_statistics: " + statistics + "\n"));
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, 2112000001).status == 302);
    daemon.db() << "UPDATE users SET is_superuser = 1";
    daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";

    REQUIRE(call(daemon, "test_tasks.record", R"({"label": "s1"})").status == 0);
    REQUIRE(call(daemon, "test_tasks.record", R"({"label": "s2"})").status == 0);
    REQUIRE(call(daemon, "test_tasks.flaky", R"({"label": "s3", "succeed_on": 2})").status == 0);
    REQUIRE(wait_until([&] { return runs(daemon, "s3", "done") == 1; }, 10s));
    // A task waiting for its countdown shows as delayed.
    REQUIRE(daemon.cli({"call", "--countdown", "600", "test_tasks.record", R"({"label": "later"})"}).status == 0);

    auto page = browser.get("/dashboard/");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("id=\"aa-task-panel\"") != std::string::npos);
    CHECK(page.body.find("Delayed: 1") != std::string::npos);
    if (statistics == "true") {
      CHECK(page.body.find("<td class=\"small\">test_tasks.record</td><td>2</td><td>0</td><td>0</td>") !=
            std::string::npos);
      CHECK(page.body.find("<td class=\"small\">test_tasks.flaky</td><td>1</td><td>1</td><td>0</td>") !=
            std::string::npos);
    } else {
      CHECK(page.body.find("Task statistics are turned off.") != std::string::npos);
      CHECK(page.body.find("<td class=\"small\">test_tasks.record</td>") == std::string::npos);
      CHECK(count_rows(daemon.db(), "task_statistics") == 0);
    }
  }
}

TEST_CASE("tasks: default schedule passes check") {
  TempDir dir;
  auto instance = dir.path() / "instance";
  auto allianceauth = (bin_dir() / "allianceauth").string();
  REQUIRE(run_command(allianceauth, {"start", instance.string()}).status == 0);
  auto config = (instance / "allianceauth.yaml").string();
  // Both upstream entries name registered core tasks with valid cron
  // expressions; migrate and check both validate the config.
  auto migrated = run_command(allianceauth, {"--config", config, "migrate"});
  CHECK_MESSAGE(migrated.status == 0, migrated.output);
  auto checked = run_command(allianceauth, {"--config", config, "check"});
  CHECK_MESSAGE(checked.status == 0, checked.output);
  auto text = read_file(config);
  CHECK(text.find("task: allianceauth.eveonline.tasks.run_model_update") != std::string::npos);
  CHECK(text.find("task: allianceauth.authentication.tasks.check_all_character_ownership") != std::string::npos);
}
