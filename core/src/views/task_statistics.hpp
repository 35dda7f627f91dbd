// The task panel of the superuser dashboard: queue length and the
// succeeded, retried and failed runs per task over the last
// dashboard.tasks_max_hours hours, as upstream's dashboard shows them.
#pragma once

#include "aa/template.hpp"

namespace aa::core {

class App;

namespace views {

/// Fills the TASKS section of `panel`. An unreachable queue store shows as
/// a message on the panel; it never fails the page.
void add_task_statistics(App& app, TemplateData& panel);

}  // namespace views
}  // namespace aa::core
