#include "migrations.hpp"

#include <string>

namespace timerboard {
namespace {

// The creator's user, character and corporation are plain columns, not
// foreign keys, because they point into core tables that a plugin does not
// own. The names are copied so a timer still shows who made it after the
// character or user is gone. Upstream's `system` field is stored as
// solar_system because SYSTEM is a reserved word in MySQL 8.0.3 and later.
void create_timers(aa::Schema& schema) {
  schema.exec(std::string("CREATE TABLE ") + kTimerTable + " (" + schema.auto_id() +
              ", details VARCHAR(254) NOT NULL DEFAULT ''"
              ", solar_system VARCHAR(254) NOT NULL DEFAULT ''"
              ", planet_moon VARCHAR(254) NOT NULL DEFAULT ''"
              ", structure VARCHAR(254) NOT NULL DEFAULT 'Other'"
              ", timer_type VARCHAR(254) NOT NULL DEFAULT 'UNSPECIFIED'"
              ", objective VARCHAR(254) NOT NULL DEFAULT 'Neutral'"
              ", eve_time BIGINT NOT NULL"
              ", important SMALLINT NOT NULL DEFAULT 0"
              ", corp_timer SMALLINT NOT NULL DEFAULT 0"
              ", user_id BIGINT NULL"
              ", character_id BIGINT NOT NULL"
              ", character_name VARCHAR(254) NOT NULL DEFAULT ''"
              ", corporation_id BIGINT NOT NULL"
              ", corporation_name VARCHAR(254) NOT NULL DEFAULT ''"
              ", created_at BIGINT NOT NULL"
              ", updated_at BIGINT NOT NULL"
              ")" +
              schema.table_options());
  // The list pages select by time range; the user index serves the clean-up
  // when a user is deleted.
  schema.exec(std::string("CREATE INDEX timerboard_timers_eve_time ON ") + kTimerTable + " (eve_time)");
  schema.exec(std::string("CREATE INDEX timerboard_timers_user ON ") + kTimerTable + " (user_id)");
}

void drop_timers(aa::Schema& schema) { schema.exec(std::string("DROP TABLE ") + kTimerTable); }

}  // namespace

std::vector<aa::Migration> migrations() {
  return {
      {.number = 1, .name = "create_timers", .up = create_timers, .down = drop_timers},
  };
}

}  // namespace timerboard
