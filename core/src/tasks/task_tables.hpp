// The core migration that adds the embedded task queue, the scheduler's
// tick records and the task statistics.
#pragma once

#include "aa/db.hpp"

namespace aa::core {

/// The migration with the given core migration number.
aa::Migration task_tables_migration(int number);

/// The migration that adds task_queue.rerun_requested: set when an
/// only-once enqueue finds its task running, so the task runs once more.
aa::Migration task_rerun_migration(int number);

}  // namespace aa::core
