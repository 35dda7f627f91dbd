#include "views/task_statistics.hpp"

#include "app/app.hpp"
#include "app/logging.hpp"
#include "db/database.hpp"
#include "tasks/task_service.hpp"

namespace aa::core::views {

void add_task_statistics(App& app, TemplateData& panel) {
  auto& tasks = panel.add_row("TASKS");
  auto& service = app.task_service();
  auto hours = app.config().int_or("dashboard.tasks_max_hours", 24);
  tasks.set("BACKEND", service.backend().name());
  tasks.set("HOURS", hours);
  try {
    auto length = service.backend().queue_length();
    tasks.set("WAITING", length.waiting);
    tasks.set("DELAYED", length.delayed);
    tasks.set("RUNNING", length.running);

    if (!service.settings().record_statistics) {
      tasks.show("STATISTICS_OFF");
      return;
    }
    auto counts = service.backend().statistics(unix_now() - hours * 3600);
    if (counts.empty()) tasks.show("NO_RUNS");
    for (const auto& count : counts) {
      auto& row = tasks.add_row("TASK_ROW");
      row.set("NAME", count.task);
      row.set("SUCCEEDED", count.succeeded);
      row.set("RETRIED", count.retried);
      row.set("FAILED", count.failed);
      row.show_if("HAS_FAILED", count.failed > 0);
    }
  } catch (const std::exception& error) {
    core_log().error("the dashboard could not read the {} task queue: {}", service.backend().name(), error.what());
    tasks.add_row("UNREACHABLE").set("ERROR", error.what());
  }
}

}  // namespace aa::core::views
