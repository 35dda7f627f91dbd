// test_tasks: tasks that the task integration and reliability tests
// enqueue. Each run writes a row to test_tasks_runs, so a test can count
// how often a task ran, in which process, and whether it finished. The
// public page /test-tasks/enqueue/?label=L enqueues test_tasks.record
// through the web daemon (list test_tasks in apps_with_public_views).
#include <unistd.h>

#include <boost/json.hpp>
#include <soci/soci.h>

#include <chrono>
#include <thread>

#include <aa/context.hpp>
#include <aa/http.hpp>
#include <aa/plugin.hpp>

namespace {

std::string label_of(const boost::json::value& args) {
  return std::string(args.as_object().at("label").as_string());
}

std::string check_label(const boost::json::value& args) {
  if (!args.is_object() || !args.as_object().contains("label") || !args.as_object().at("label").is_string()) {
    return "expected {\"label\": \"...\"}";
  }
  return {};
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void record(aa::TaskRun& run, const std::string& task, const std::string& phase) {
  soci::session sql(run.context.database().pool());
  auto label = label_of(run.args);
  long long pid = ::getpid();
  long long at = now_ms();
  sql << "INSERT INTO test_tasks_runs (task, label, phase, pid, attempt, at_ms) "
         "VALUES (:task, :label, :phase, :pid, :attempt, :at)",
      soci::use(task), soci::use(label), soci::use(phase), soci::use(pid), soci::use(run.attempt), soci::use(at);
}

void sleep_ms(const aa::TaskRun& run) {
  auto ms = run.args.as_object().contains("ms") ? run.args.as_object().at("ms").to_number<long long>() : 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

class TestTasks final : public aa::Plugin {
 public:
  std::string name() const override { return "test_tasks"; }
  std::string version() const override { return "1.0.0"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_migration({.number = 1,
                            .name = "create test_tasks_runs",
                            .up = [](aa::Schema& schema) {
                              schema.exec("CREATE TABLE test_tasks_runs (" + schema.auto_id() +
                                          ", task VARCHAR(64) NOT NULL, label VARCHAR(255) NOT NULL"
                                          ", phase VARCHAR(16) NOT NULL, pid BIGINT NOT NULL"
                                          ", attempt INTEGER NOT NULL, at_ms BIGINT NOT NULL)" +
                                          schema.table_options());
                            },
                            .down = [](aa::Schema& schema) { schema.exec("DROP TABLE test_tasks_runs"); }});

    // Writes one "done" row, and logs it to log/extensions.log.
    registry.add_task({.name = "test_tasks.record",
                       .run = [](aa::TaskRun& run) {
                         record(run, "record", "done");
                         run.context.logger("test_tasks").info("recorded label " + label_of(run.args));
                       },
                       .check_args = check_label});
    // Writes "started", sleeps {"ms": N}, then writes "done"; a worker
    // killed in between leaves a "started" row without its "done".
    registry.add_task({.name = "test_tasks.sleep",
                       .run = [](aa::TaskRun& run) {
                         record(run, "sleep", "started");
                         sleep_ms(run);
                         record(run, "sleep", "done");
                       },
                       .check_args = check_label});
    // The same, only once: a second enqueue with equal arguments is
    // dropped while one is queued or running.
    registry.add_task({.name = "test_tasks.once",
                       .run = [](aa::TaskRun& run) {
                         record(run, "once", "started");
                         sleep_ms(run);
                         record(run, "once", "done");
                       },
                       .check_args = check_label,
                       .only_once = true});
    // Fails until attempt {"succeed_on": N}, retrying after 1 s.
    registry.add_task({.name = "test_tasks.flaky",
                       .run = [](aa::TaskRun& run) {
                         record(run, "flaky", "started");
                         if (run.attempt < run.args.as_object().at("succeed_on").to_number<long long>()) {
                           throw std::runtime_error("flaky attempt " + std::to_string(run.attempt) + " fails");
                         }
                         record(run, "flaky", "done");
                       },
                       .check_args = check_label,
                       .max_retries = 3,
                       .retry_pause = std::chrono::seconds(1)});
    registry.add_urls({.url_namespace = "test_tasks",
                       .base_path = "/test-tasks/",
                       .routes = {{.pattern = "enqueue/",
                                   .name = "enqueue",
                                   .view = [](aa::Request& request) {
                                     auto label = request.query("label").value_or("web");
                                     auto enqueued = request.app().tasks().enqueue(
                                         "test_tasks.record", boost::json::object{{"label", label}});
                                     if (!enqueued.ok()) return aa::Response::text("error: " + enqueued.error, 500);
                                     return aa::Response::text("enqueued " + enqueued.id);
                                   },
                                   .access = aa::Access::public_view}}});
    // Does nothing; for throughput measurements.
    registry.add_task({.name = "test_tasks.noop", .run = [](aa::TaskRun&) {}});
    // Enqueues {"count": N} noop tasks; scripts/bench/tasks runs it with
    // `call --now` to fill the queue quickly.
    registry.add_task({.name = "test_tasks.fanout", .run = [](aa::TaskRun& run) {
                         auto count = run.args.as_object().at("count").to_number<long long>();
                         for (long long i = 0; i < count; ++i) {
                           auto enqueued = run.context.tasks().enqueue("test_tasks.noop", i);
                           if (!enqueued.ok()) throw std::runtime_error(enqueued.error);
                         }
                       }});
  }
};

}  // namespace

AA_PLUGIN(TestTasks)
