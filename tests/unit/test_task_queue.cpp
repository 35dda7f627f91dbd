// The task queue on both backends: the embedded one on SQLite and MariaDB,
// and Redis when scripts/test started one. The same checks run on each.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <atomic>
#include <limits>
#include <set>
#include <thread>

#include "aa/context.hpp"
#include "tasks/db_backend.hpp"
#include "tasks/message.hpp"
#include "tasks/redis_backend.hpp"
#include "tasks/scheduler.hpp"
#include "tasks/task_runner.hpp"
#include "tasks/task_service.hpp"
#include "tasks/worker_pool.hpp"
#include "log_capture.hpp"
#include "test_support.hpp"

using namespace aa::core;
using aa::TaskCall;
using aa::TaskDecl;

namespace {

// Short timeouts so expiry can be tested without long waits.
BackendSettings fast_settings() {
  BackendSettings settings;
  settings.visibility_timeout = std::chrono::milliseconds(300);
  settings.poll_interval = std::chrono::milliseconds(50);
  return settings;
}

// One backend under test with its database (kept for the embedded one).
struct BackendCase {
  std::string label;
  std::unique_ptr<aa::test::TestDatabase> database;
  std::unique_ptr<TaskBackend> backend;
};

std::vector<std::string> backend_labels() {
  auto labels = aa::test::backends();
  for (auto& label : labels) label = "embedded/" + label;
  if (aa::test::redis_port() != 0) labels.emplace_back("redis");
  return labels;
}

BackendCase make_backend(const std::string& label) {
  BackendCase result;
  result.label = label;
  if (label == "redis") {
    RedisOptions options;
    options.port = aa::test::redis_port();
    static std::atomic<int> counter{0};
    auto prefix = "aa_unit_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    auto backend = std::make_unique<RedisTaskBackend>(options, prefix, fast_settings());
    backend->clear();
    result.backend = std::move(backend);
  } else {
    result.database = std::make_unique<aa::test::TestDatabase>(label.substr(label.find('/') + 1));
    result.backend = std::make_unique<DbTaskBackend>(result.database->db(), fast_settings());
  }
  return result;
}

TaskMessage message(const std::string& name, int priority = 5, const std::string& queue = "default") {
  TaskMessage m;
  m.name = name;
  m.priority = priority;
  m.queue = queue;
  m.enqueued_ms = unix_now_ms();
  m.eta_ms = m.enqueued_ms;
  return m;
}

// A Context for tasks that need none of its services.
class NullContext final : public aa::Context {
 public:
  const aa::Settings& settings() const override { throw std::logic_error("no settings in this test"); }
  aa::Logger& logger(std::string_view) override { throw std::logic_error("no logger in this test"); }
  aa::Database& database() override { throw std::logic_error("no database in this test"); }
  aa::AuthApi& auth() override { throw std::logic_error("no auth in this test"); }
  aa::Notifier& notifier() override { throw std::logic_error("no notifier in this test"); }
  aa::EsiClient& esi() override { throw std::logic_error("no ESI in this test"); }
  aa::TaskQueue& tasks() override { return *queue; }
  aa::TaskQueue* queue = nullptr;
};

}  // namespace

TEST_CASE("task message round-trips through JSON") {
  TaskMessage original = message("plugin.task", 3, "bulk");
  original.id = "42";
  original.args = R"({"a":[1,2]})";
  original.attempt = 2;
  original.once_key = "abc";
  original.chain = "[]";
  auto copy = message_from_json(to_json(original));
  CHECK(copy.id == "42");
  CHECK(copy.name == "plugin.task");
  CHECK(copy.args == original.args);
  CHECK(copy.priority == 3);
  CHECK(copy.queue == "bulk");
  CHECK(copy.attempt == 2);
  CHECK(copy.once_key == "abc");
  CHECK_THROWS_WITH_AS(message_from_json(R"({"id": "1"})"), doctest::Contains("no field 'name'"),
                       std::invalid_argument);
}

TEST_CASE("only-once key ignores key order") {
  auto a = boost::json::parse(R"({"b": 1, "a": {"y": 2, "x": [3, {"q": 1, "p": 2}]}})");
  auto b = boost::json::parse(R"({"a": {"x": [3, {"p": 2, "q": 1}], "y": 2}, "b": 1})");
  CHECK(canonical_json(a) == canonical_json(b));
  CHECK(once_key("t.x", a) == once_key("t.x", b));
  CHECK(once_key("t.x", a) != once_key("t.y", a));
  CHECK(once_key("t.x", boost::json::parse("[1, 2]")) != once_key("t.x", boost::json::parse("[2, 1]")));
}

TEST_CASE("task backend claims by priority then age") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    auto& backend = *tested.backend;
    auto low = backend.enqueue(message("t.low", 7));
    auto first = backend.enqueue(message("t.first", 5));
    auto second = backend.enqueue(message("t.second", 5));
    auto urgent = backend.enqueue(message("t.urgent", 1));
    auto other_queue = backend.enqueue(message("t.other", 0, "other"));
    REQUIRE(low);
    REQUIRE(urgent);
    REQUIRE(other_queue);

    std::vector<std::string> order;
    while (auto task = backend.claim({"default"})) order.push_back(task->message.name);
    CHECK(order == std::vector<std::string>{"t.urgent", "t.first", "t.second", "t.low"});

    auto other = backend.claim({"default", "other"});
    REQUIRE(other);
    CHECK(other->message.name == "t.other");
    CHECK(other->message.id == *other_queue);
    CHECK(other->message.deliveries == 1);
  }
}

TEST_CASE("task backend hides delayed tasks until due") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    auto& backend = *tested.backend;
    auto later = message("t.later");
    later.eta_ms = unix_now_ms() + 400;
    REQUIRE(backend.enqueue(later));
    backend.maintain();
    CHECK_FALSE(backend.claim({"default"}));
    CHECK(backend.queue_length().delayed == 1);

    std::this_thread::sleep_for(std::chrono::milliseconds(450));
    backend.maintain();
    auto task = backend.claim({"default"});
    REQUIRE(task);
    CHECK(task->message.name == "t.later");
  }
}

TEST_CASE("task backend runs an expired claim again") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    auto& backend = *tested.backend;
    REQUIRE(backend.enqueue(message("t.lost")));
    auto first = backend.claim({"default"});
    REQUIRE(first);
    CHECK_FALSE(backend.claim({"default"}));
    CHECK(backend.queue_length().running == 1);

    // Renewing keeps the claim past the visibility timeout.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(backend.renew(*first));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    backend.maintain();
    CHECK_FALSE(backend.claim({"default"}));

    // Without renewal the claim expires and the task is claimable again.
    std::this_thread::sleep_for(std::chrono::milliseconds(350));
    backend.maintain();
    auto second = backend.claim({"default"});
    REQUIRE(second);
    CHECK(second->message.id == first->message.id);
    CHECK(second->message.deliveries == 2);
    // The old claim no longer counts.
    CHECK_FALSE(backend.finish(*first));
    CHECK_FALSE(backend.renew(*first));
    CHECK(backend.finish(*second));
    CHECK(backend.queue_length().running == 0);
  }
}

TEST_CASE("task backend drops a second only-once enqueue") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    auto& backend = *tested.backend;
    auto once = message("t.once");
    once.once_key = once_key("t.once", boost::json::parse("[1]"));
    auto first = backend.enqueue(once);
    REQUIRE(first);
    CHECK_FALSE(backend.enqueue(once));

    // Still held while it runs and while it waits for a retry.
    auto claimed = backend.claim({"default"});
    REQUIRE(claimed);
    CHECK_FALSE(backend.enqueue(once));
    auto retry = claimed->message;
    retry.attempt = 2;
    retry.eta_ms = unix_now_ms();
    CHECK(backend.requeue(*claimed, retry));
    CHECK_FALSE(backend.enqueue(once));
    backend.maintain();
    auto again = backend.claim({"default"});
    REQUIRE(again);
    CHECK(again->message.attempt == 2);

    // Released once it finishes.
    CHECK(backend.finish(*again));
    CHECK(backend.enqueue(once));
  }
}

TEST_CASE("task backend reruns only-once task enqueued mid-run") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    auto& backend = *tested.backend;
    auto once = message("t.once");
    once.once_key = once_key("t.once", boost::json::parse(R"({"user_id": 2})"));
    once.chain = R"([{"name": "t.next", "args": null}])";
    REQUIRE(backend.enqueue(once));

    // The running task may have read its data before this enqueue, so the
    // enqueue asks for one more run instead of being dropped.
    auto running = backend.claim({"default"});
    REQUIRE(running);
    CHECK_FALSE(backend.enqueue(once));
    CHECK_FALSE(backend.enqueue(once));
    CHECK(backend.finish(*running));

    // The one run asked for: ready at once, from its first attempt, with
    // the chain already sent by the run before.
    CHECK(backend.queue_length().waiting == 1);
    auto rerun = backend.claim({"default"});
    REQUIRE(rerun);
    CHECK(rerun->message.name == "t.once");
    CHECK(rerun->message.attempt == 1);
    CHECK(rerun->message.chain.empty());
    CHECK_FALSE(backend.claim({"default"}));
    CHECK(backend.finish(*rerun));
    CHECK(backend.queue_length().waiting == 0);
    CHECK(backend.queue_length().running == 0);
    CHECK(backend.enqueue(once));
  }
}

TEST_CASE("task backend holds an only-once lock while its task waits") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    auto& backend = *tested.backend;
    auto once = message("t.once");
    once.once_key = once_key("t.once", boost::json::parse(R"({"id": 7})"));

    // A countdown far longer than any lock expiry: the lock lasts as long as the task.
    auto later = once;
    later.eta_ms = unix_now_ms() + 7LL * 86400 * 1000;
    REQUIRE(backend.enqueue(later));
    CHECK_FALSE(backend.enqueue(once));
    backend.maintain();
    CHECK_FALSE(backend.enqueue(once));
    CHECK(backend.queue_length().delayed == 1);
  }
}

TEST_CASE("redis only-once lock of a vanished task is free") {
  if (aa::test::redis_port() == 0) return;
  RedisOptions options;
  options.port = aa::test::redis_port();
  auto prefix = "aa_unit_stale_" + std::to_string(::getpid());
  RedisTaskBackend backend(options, prefix, fast_settings());
  backend.clear();
  auto once = message("t.once");
  once.once_key = once_key("t.once", nullptr);
  auto first = backend.enqueue(once);
  REQUIRE(first);
  CHECK_FALSE(backend.enqueue(once));

  // The task is gone but its lock is left, as after a partial restore of
  // Redis data: the lock names a task that no longer exists, so it is free.
  RedisConnection connection(options);
  REQUIRE(connection.command({"DEL", prefix + ":task:" + *first}).integer == 1);
  // No expiry: a lock ends with its task, not after some time.
  REQUIRE(connection.command({"PTTL", prefix + ":once:" + once.once_key}).integer == -1);
  auto second = backend.enqueue(once);
  REQUIRE(second);
  CHECK(connection.command({"GET", prefix + ":once:" + once.once_key}).text == *second);
  backend.clear();
}

TEST_CASE("redis sets aside messages that are not tasks") {
  if (aa::test::redis_port() == 0) return;
  RedisOptions options;
  options.port = aa::test::redis_port();
  auto prefix = "aa_unit_broken_" + std::to_string(::getpid());
  RedisTaskBackend backend(options, prefix, fast_settings());
  backend.clear();
  RedisConnection connection(options);
  // Written by hand: one ready, one delayed and due; neither is a task message.
  connection.command({"SET", prefix + ":task:ready1", "{\"name\": \"half a message\"}"});
  connection.command({"ZADD", prefix + ":queue:default", "1", "ready1"});
  connection.command({"SET", prefix + ":task:late1", "not json"});
  connection.command({"ZADD", prefix + ":delayed", "1", "late1"});
  auto good = message("t.good");
  good.eta_ms = unix_now_ms() + 50;
  REQUIRE(backend.enqueue(good));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));

  aa::test::LogCapture log;
  // The due good task still becomes ready; the bad ones are kept aside.
  CHECK_NOTHROW(backend.maintain());
  CHECK_FALSE(backend.claim({"default"}));
  CHECK(log.lines_with("task ready1 in Redis is not a task message (task message has no field 'id')").size() == 1);
  auto task = backend.claim({"default"});
  REQUIRE(task);
  CHECK(task->message.name == "t.good");
  CHECK(connection.command({"HGET", prefix + ":broken", "late1"}).text == "not json");
  CHECK(connection.command({"HGET", prefix + ":broken", "ready1"}).text == "{\"name\": \"half a message\"}");
  CHECK(backend.queue_length().running == 1);
  backend.clear();
}

TEST_CASE("redis measures claims and countdowns on the clock of Redis") {
  if (aa::test::redis_port() == 0) return;
  RedisOptions options;
  options.port = aa::test::redis_port();
  auto prefix = "aa_unit_clock_" + std::to_string(::getpid());
  RedisTaskBackend punctual(options, prefix, fast_settings());
  punctual.clear();
  // A second worker machine whose clock runs ten minutes ahead.
  auto ahead_settings = fast_settings();
  ahead_settings.clock_ms = [] { return unix_now_ms() + 600000; };
  RedisTaskBackend ahead(options, prefix, ahead_settings);

  REQUIRE(punctual.enqueue(message("t.live")));
  auto claimed = punctual.claim({"default"});
  REQUIRE(claimed);
  // Its maintenance does not take the live claim over.
  ahead.maintain();
  CHECK_FALSE(ahead.claim({"default"}));
  CHECK(punctual.renew(*claimed));
  CHECK(punctual.finish(*claimed));

  // A countdown of 300 ms set on its clock is 300 ms long.
  auto soon = message("t.soon");
  soon.eta_ms = ahead_settings.clock_ms() + 300;
  REQUIRE(ahead.enqueue(soon));
  punctual.maintain();
  CHECK_FALSE(punctual.claim({"default"}));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  punctual.maintain();
  auto due = punctual.claim({"default"});
  REQUIRE(due);
  CHECK(due->message.name == "t.soon");
  punctual.clear();
}

TEST_CASE("task backend lets one scheduler take a tick") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    auto& backend = *tested.backend;
    CHECK(backend.claim_tick("nightly", 1000));
    CHECK_FALSE(backend.claim_tick("nightly", 1000));
    CHECK(backend.claim_tick("nightly", 1060));
    CHECK(backend.claim_tick("hourly", 1000));
  }
}

TEST_CASE("task backend counts outcomes per task") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    auto& backend = *tested.backend;
    backend.record("t.a", TaskOutcome::succeeded);
    backend.record("t.a", TaskOutcome::succeeded);
    backend.record("t.a", TaskOutcome::retried);
    backend.record("t.b", TaskOutcome::failed);
    auto counts = backend.statistics(unix_now() - 3600);
    REQUIRE(counts.size() == 2);
    CHECK(counts[0].task == "t.a");
    CHECK(counts[0].succeeded == 2);
    CHECK(counts[0].retried == 1);
    CHECK(counts[0].failed == 0);
    CHECK(counts[1].task == "t.b");
    CHECK(counts[1].failed == 1);
    CHECK(backend.statistics(unix_now() + 120).empty());
  }
}

TEST_CASE("task service rejects bad calls") {
  auto tested = make_backend("embedded/sqlite3");
  TaskDecl task;
  task.name = "t.check";
  task.run = [](aa::TaskRun&) {};
  task.check_args = [](const boost::json::value& args) -> std::string {
    if (!args.is_object() || !args.as_object().contains("user_id")) return "expected {\"user_id\": N}";
    return {};
  };
  TaskService service({&task}, std::move(tested.backend), TaskSettings{fast_settings()});

  auto unknown = service.enqueue("t.missing");
  CHECK(unknown.error.find("unknown task 't.missing'") != std::string::npos);
  auto bad_args = service.enqueue("t.check", boost::json::parse("[1]"));
  CHECK(bad_args.error.find("arguments [1] do not fit task t.check: expected {\"user_id\": N}") != std::string::npos);
  TaskCall bad_priority{"t.check", boost::json::parse(R"({"user_id": 1})"), 10};
  CHECK(service.enqueue(bad_priority).error.find("priority 10") != std::string::npos);
  // A bad later link rejects the whole chain, and nothing is queued.
  auto chain = service.enqueue_chain({{"t.check", boost::json::parse(R"({"user_id": 1})")}, {"t.check", nullptr}});
  CHECK(chain.error.find("do not fit") != std::string::npos);
  CHECK(service.backend().queue_length().waiting == 0);

  // Huge arguments are refused by size, and a misfit is echoed shortened.
  auto huge = service.enqueue("t.check", boost::json::object{{"user_id", 1}, {"blob", std::string(2 << 20, 'x')}});
  CHECK(huge.error.find("are 2097175 bytes of JSON, over the limit of 1048576") != std::string::npos);
  CHECK(huge.error.size() < 300);
  boost::json::array many(100000, boost::json::value(7));
  auto misfit = service.enqueue("t.check", many);
  CHECK(misfit.error.find("arguments [7,7,7") != std::string::npos);
  CHECK(misfit.error.find("... (200001 bytes) do not fit task t.check") != std::string::npos);
  CHECK(misfit.error.size() < 400);
  auto half = boost::json::object{{"user_id", 1}, {"blob", std::string(600000, 'x')}};
  auto chain_too_big = service.enqueue_chain({{"t.check", half}, {"t.check", half}});
  CHECK(chain_too_big.error.find("1200046 bytes of JSON together, over the limit") != std::string::npos);

  // Countdowns beyond a year would overflow the due time.
  TaskCall far{"t.check", boost::json::parse(R"({"user_id": 1})")};
  far.countdown = std::chrono::seconds(std::numeric_limits<long long>::max() / 1000);
  CHECK(service.enqueue(far).error.find("is not between 0 and 31622400 s") != std::string::npos);

  // Priority 0 belongs to core's tasks.
  TaskCall urgent{"t.check", boost::json::parse(R"({"user_id": 1})"), 0};
  CHECK(service.enqueue(urgent).error == "priority 0 of task t.check is reserved for core tasks; use 1 to 9");
  CHECK(service.backend().queue_length().waiting == 0);
  service.set_core_tasks({"t.check"});
  CHECK(service.enqueue(urgent).ok());

  auto good = service.enqueue("t.check", boost::json::parse(R"({"user_id": 2})"));
  CHECK(good.ok());
  CHECK_FALSE(good.id.empty());
  CHECK(service.backend().queue_length().waiting == 2);
}

// A counting task "t.step" and an only-once task "t.once" on one backend,
// with a runner, for the chain tests below.
struct ChainTasks {
  explicit ChainTasks(const std::string& label)
      : tested(make_backend(label)),
        service({&step, &once}, std::move(tested.backend), TaskSettings{fast_settings()}),
        runner(service, context) {
    context.queue = &service;
  }

  int steps = 0;
  TaskDecl step{.name = "t.step", .run = [this](aa::TaskRun&) { ++steps; }};
  TaskDecl once{.name = "t.once", .run = [](aa::TaskRun&) {}, .only_once = true};
  BackendCase tested;
  TaskService service;
  NullContext context;
  TaskRunner runner;
};

TEST_CASE("task runner reports a chain that ends at a queued only-once link") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    ChainTasks tasks(label);
    auto& service = tasks.service;
    auto& runner = tasks.runner;

    // t.once is already queued with a countdown when the chain reaches it.
    TaskCall waiting{"t.once"};
    waiting.countdown = std::chrono::seconds(600);
    REQUIRE(service.enqueue(waiting).ok());
    REQUIRE(service.enqueue_chain({{"t.step"}, {"t.once"}, {"t.step"}}).ok());
    aa::test::LogCapture log;
    auto first = service.backend().claim({"default"});
    REQUIRE(first);
    runner.run(*first);
    CHECK(tasks.steps == 1);
    CHECK(log.lines_with("the next link of its chain, t.once, is already queued or running, so no second copy was "
                         "enqueued (a running one runs once more when it finishes) and the 1 link(s) after it were "
                         "dropped")
              .size() == 1);
    CHECK(service.backend().queue_length().waiting == 0);
    CHECK(service.backend().queue_length().delayed == 1);
  }
}

TEST_CASE("task runner reports a chain that ends at a running only-once link") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    ChainTasks tasks(label);
    auto& service = tasks.service;
    auto& runner = tasks.runner;

    // t.once is claimed by another worker when the chain reaches it.
    REQUIRE(service.enqueue(TaskCall{"t.once"}).ok());
    auto running_once = service.backend().claim({"default"});
    REQUIRE(running_once);
    REQUIRE(service.enqueue_chain({{"t.step"}, {"t.once"}, {"t.step"}}).ok());
    aa::test::LogCapture log;
    auto first = service.backend().claim({"default"});
    REQUIRE(first);
    REQUIRE(first->message.name == "t.step");
    runner.run(*first);
    CHECK(tasks.steps == 1);
    CHECK(log.lines_with("the next link of its chain, t.once, is already queued or running, so no second copy was "
                         "enqueued (a running one runs once more when it finishes) and the 1 link(s) after it were "
                         "dropped")
              .size() == 1);
    CHECK(service.backend().queue_length().waiting == 0);

    // The running t.once runs once more, without the last t.step.
    CHECK(service.backend().finish(*running_once));
    CHECK(service.backend().queue_length().waiting == 1);
    auto rerun = service.backend().claim({"default"});
    REQUIRE(rerun);
    CHECK(rerun->message.name == "t.once");
    CHECK(rerun->message.chain.empty());
  }
}

TEST_CASE("worker pool stops during a retry pause and keeps the retry") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    std::atomic<int> runs{0};
    TaskDecl patient;
    patient.name = "t.patient";
    patient.max_retries = 3;
    patient.run = [&](aa::TaskRun& run) {
      ++runs;
      // A pause far beyond the limit is cut to it rather than overflowing.
      if (run.args.as_int64() == 1) aa::retry("asked to wait forever", std::chrono::seconds::max());
      aa::retry("asked to wait", std::chrono::seconds(60));
    };
    TaskService service({&patient}, std::move(tested.backend), TaskSettings{fast_settings()});
    NullContext context;
    REQUIRE(service.enqueue("t.patient", 1).ok());
    REQUIRE(service.enqueue("t.patient", 2).ok());
    WorkerPool pool(service, context, WorkerOptions{2, {"default"}});
    pool.start();
    for (int i = 0; i < 200 && service.backend().queue_length().delayed < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // The stop does not wait for the pauses; both retries stay queued.
    pool.stop();
    CHECK(runs == 2);
    auto length = service.backend().queue_length();
    CHECK(length.delayed == 2);
    CHECK(length.running == 0);
    service.backend().maintain();
    CHECK_FALSE(service.backend().claim({"default"}));
  }
}

TEST_CASE("task runner retries, fails and chains") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    std::vector<std::string> runs;
    std::mutex runs_mutex;
    auto remember = [&](const std::string& what) {
      std::lock_guard lock(runs_mutex);
      runs.push_back(what);
    };

    TaskDecl flaky;
    flaky.name = "t.flaky";
    flaky.max_retries = 2;
    flaky.retry_pause = std::chrono::seconds(0);
    flaky.run = [&](aa::TaskRun& run) {
      remember("flaky " + std::to_string(run.attempt));
      if (run.attempt < 3) throw std::runtime_error("not yet");
    };
    TaskDecl broken;
    broken.name = "t.broken";
    broken.max_retries = 1;
    broken.retry_pause = std::chrono::seconds(0);
    broken.run = [&](aa::TaskRun& run) {
      remember("broken " + std::to_string(run.attempt));
      aa::retry("asked", std::chrono::seconds(0));
    };
    TaskDecl step;
    step.name = "t.step";
    step.run = [&](aa::TaskRun& run) { remember("step " + boost::json::serialize(run.args)); };

    TaskService service({&flaky, &broken, &step}, std::move(tested.backend), TaskSettings{fast_settings()});
    NullContext context;
    context.queue = &service;
    TaskRunner runner(service, context);
    auto drain = [&] {
      for (int i = 0; i < 20; ++i) {
        service.backend().maintain();
        auto task = service.backend().claim({"default"});
        if (!task) {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          continue;
        }
        runner.run(*task);
      }
    };

    REQUIRE(service.enqueue("t.flaky").ok());
    drain();
    CHECK(runs == std::vector<std::string>{"flaky 1", "flaky 2", "flaky 3"});

    runs.clear();
    REQUIRE(service.enqueue("t.broken").ok());
    drain();
    CHECK(runs == std::vector<std::string>{"broken 1", "broken 2"});

    runs.clear();
    REQUIRE(service.enqueue_chain({{"t.step", 1}, {"t.flaky"}, {"t.step", 2}}).ok());
    drain();
    CHECK(runs == std::vector<std::string>{"step 1", "flaky 1", "flaky 2", "flaky 3", "step 2"});

    // A failed link ends the chain.
    runs.clear();
    REQUIRE(service.enqueue_chain({{"t.broken"}, {"t.step", 3}}).ok());
    drain();
    CHECK(runs == std::vector<std::string>{"broken 1", "broken 2"});
    CHECK(service.backend().queue_length().waiting == 0);
    CHECK(service.backend().queue_length().delayed == 0);

    auto counts = service.backend().statistics(unix_now() - 60);
    std::map<std::string, TaskCounts> by_task;
    for (const auto& count : counts) by_task[count.task] = count;
    CHECK(by_task["t.flaky"].succeeded == 2);
    CHECK(by_task["t.flaky"].retried == 4);
    CHECK(by_task["t.broken"].failed == 2);
    CHECK(by_task["t.step"].succeeded == 2);
  }
}

TEST_CASE("worker pool runs each task once") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    std::mutex mutex;
    std::multiset<long long> seen;
    TaskDecl record;
    record.name = "t.record";
    record.run = [&](aa::TaskRun& run) {
      std::lock_guard lock(mutex);
      seen.insert(run.args.as_int64());
    };
    TaskService service({&record}, std::move(tested.backend), TaskSettings{fast_settings()});
    NullContext context;
    context.queue = &service;
    constexpr int kTasks = 200;
    for (int i = 0; i < kTasks; ++i) REQUIRE(service.enqueue("t.record", i).ok());

    {
      WorkerPool pool(service, context, WorkerOptions{4, {"default"}});
      pool.start();
      for (int waited = 0; waited < 200; ++waited) {
        {
          std::lock_guard lock(mutex);
          if (seen.size() >= kTasks) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    CHECK(seen.size() == kTasks);
    for (int i = 0; i < kTasks; ++i) CHECK(seen.count(i) == 1);
  }
}

TEST_CASE("worker pool stop lets running tasks finish") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    std::atomic<int> started{0};
    std::atomic<int> finished{0};
    TaskDecl slow;
    slow.name = "t.slow";
    slow.run = [&](aa::TaskRun&) {
      ++started;
      std::this_thread::sleep_for(std::chrono::milliseconds(700));
      ++finished;
    };
    TaskService service({&slow}, std::move(tested.backend), TaskSettings{fast_settings()});
    NullContext context;
    for (int i = 0; i < 5; ++i) REQUIRE(service.enqueue("t.slow", i).ok());
    WorkerPool pool(service, context, WorkerOptions{2, {"default"}});
    pool.start();
    while (started < 2) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    pool.stop();
    // Both running tasks ended normally, past the 300 ms visibility timeout
    // thanks to renewal, and no third one started.
    CHECK(started == 2);
    CHECK(finished == 2);
    auto length = service.backend().queue_length();
    CHECK(length.waiting == 3);
    CHECK(length.running == 0);
  }
}

TEST_CASE("scheduler sends each tick once across schedulers") {
  for (const auto& label : backend_labels()) {
    CAPTURE(label);
    auto tested = make_backend(label);
    TaskDecl tick;
    tick.name = "t.tick";
    tick.run = [](aa::TaskRun&) {};
    TaskService service({&tick}, std::move(tested.backend), TaskSettings{fast_settings()});
    ScheduleEntry entry;
    entry.name = "every_minute";
    entry.task = "t.tick";
    entry.cron = CronExpression::parse("* * * * *");

    Scheduler first(service, {entry});
    Scheduler second(service, {entry});
    first.reset_clock(1000 * 60);
    second.reset_clock(1000 * 60);
    CHECK(first.run_due(1000 * 60 + 30) == 0);
    // The tick at minute 1001 is sent by one of the two only.
    CHECK(first.run_due(1001 * 60 + 1) == 1);
    CHECK(second.run_due(1001 * 60 + 2) == 0);
    CHECK(service.backend().queue_length().waiting == 1);
    // After a gap only the latest missed tick is sent.
    CHECK(second.run_due(1010 * 60 + 5) == 1);
    CHECK(first.run_due(1010 * 60 + 6) == 0);
    CHECK(service.backend().queue_length().waiting == 2);

    // The clock stepping back five minutes sends nothing twice; ticks resume
    // once it passes the last tick sent.
    CHECK(first.run_due(1005 * 60 + 1) == 0);
    CHECK(second.run_due(1006 * 60 + 1) == 0);
    CHECK(first.run_due(1010 * 60 + 30) == 0);
    CHECK(first.run_due(1011 * 60 + 1) == 1);
    CHECK(second.run_due(1011 * 60 + 2) == 0);
    CHECK(service.backend().queue_length().waiting == 3);
  }
}
