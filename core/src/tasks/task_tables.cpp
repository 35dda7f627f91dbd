#include "tasks/task_tables.hpp"

namespace aa::core {
namespace {

void create_task_tables(Schema& s) {
  // One row per queued or running task. visible_at_ms is when the row may
  // next be claimed: the countdown or retry time while it waits, the end of
  // the claim while it runs, so a claim that is not renewed expires by itself.
  s.exec("CREATE TABLE task_queue (" + s.auto_id() +
         ", task_name VARCHAR(255) NOT NULL"
         ", args " + s.long_text() + " NOT NULL"
         ", priority SMALLINT NOT NULL"
         ", queue VARCHAR(64) NOT NULL"
         ", attempt INTEGER NOT NULL"
         ", deliveries INTEGER NOT NULL DEFAULT 0"
         ", max_retries INTEGER NOT NULL"
         ", retry_pause_seconds BIGINT NOT NULL"
         ", once_key VARCHAR(64) NULL UNIQUE"
         ", chain " + s.long_text() + " NOT NULL"
         ", visible_at_ms BIGINT NOT NULL"
         ", claim_token VARCHAR(64) NULL"
         ", enqueued_ms BIGINT NOT NULL)" + s.table_options());
  s.exec("CREATE INDEX ix_task_queue_order ON task_queue (priority, id)");
  s.exec("CREATE INDEX ix_task_queue_visible ON task_queue (visible_at_ms)");

  // A row per schedule entry and tick that a scheduler has acted on; the
  // primary key lets only one of several schedulers insert it.
  s.exec("CREATE TABLE task_schedule_ticks (entry VARCHAR(190) NOT NULL, tick BIGINT NOT NULL"
         ", PRIMARY KEY (entry, tick))" + s.table_options());

  // Runs per minute, task and outcome (succeeded, retried, failed).
  s.exec("CREATE TABLE task_statistics (minute BIGINT NOT NULL, task_name VARCHAR(255) NOT NULL"
         ", outcome VARCHAR(16) NOT NULL, runs BIGINT NOT NULL"
         ", PRIMARY KEY (minute, task_name, outcome))" + s.table_options());
}

void drop_task_tables(Schema& s) {
  s.exec("DROP TABLE task_statistics");
  s.exec("DROP TABLE task_schedule_ticks");
  s.exec("DROP TABLE task_queue");
}

void add_rerun_column(Schema& s) {
  s.exec("ALTER TABLE task_queue ADD COLUMN rerun_requested SMALLINT NOT NULL DEFAULT 0");
}

void drop_rerun_column(Schema& s) { s.exec("ALTER TABLE task_queue DROP COLUMN rerun_requested"); }

}  // namespace

aa::Migration task_tables_migration(int number) {
  return {number, "task queue", create_task_tables, drop_task_tables};
}

aa::Migration task_rerun_migration(int number) {
  return {number, "task rerun requests", add_rerun_column, drop_rerun_column};
}

}  // namespace aa::core
