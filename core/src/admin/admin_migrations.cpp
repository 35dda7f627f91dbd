#include "admin/admin_migrations.hpp"

namespace aa::core {
namespace {

void create_log(Schema& s) {
  // The username is copied so the history still names the admin after
  // their account is deleted (user_id becomes NULL then).
  s.exec("CREATE TABLE admin_log_entries (" + s.auto_id() +
         ", action_time BIGINT NOT NULL"
         ", user_id BIGINT NULL REFERENCES users(id) ON DELETE SET NULL"
         ", username VARCHAR(150) NOT NULL"
         ", app_label VARCHAR(100) NOT NULL"
         ", model_name VARCHAR(100) NOT NULL"
         ", object_id BIGINT NOT NULL"
         ", object_repr VARCHAR(200) NOT NULL"
         ", action_flag SMALLINT NOT NULL"
         ", change_message " +
         s.long_text() + " NOT NULL)" + s.table_options());
  s.exec("CREATE INDEX ix_admin_log_object ON admin_log_entries (app_label, model_name, object_id)");
  s.exec("CREATE INDEX ix_admin_log_user ON admin_log_entries (user_id, action_time)");
}

void drop_log(Schema& s) { s.exec("DROP TABLE admin_log_entries"); }

}  // namespace

MigrationSet admin_migrations() {
  MigrationSet set;
  set.plugin = "admin";
  set.migrations.push_back({1, "change history", create_log, drop_log});
  return set;
}

}  // namespace aa::core
