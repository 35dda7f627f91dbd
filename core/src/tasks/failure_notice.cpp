#include "tasks/failure_notice.hpp"

#include "app/logging.hpp"
#include "web/i18n.hpp"

namespace aa::core {

void notify_superusers_of_failure(aa::Context& context, const std::string& task_name, const std::string& task_id,
                                  const std::string& error) {
  try {
    context.notifier().notify_superusers(
        gettext_noop("Task {task} failed"),
        gettext_noop("The background task {task} ({id}) failed and will not run again: {error}"),
        {{"task", task_name}, {"id", task_id}, {"error", error}}, NotificationLevel::danger);
  } catch (const std::exception& failure) {
    core_log().error("could not notify superusers that task {} ({}) failed: {}", task_name, task_id, failure.what());
  }
}

}  // namespace aa::core
