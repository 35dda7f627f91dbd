#include "groups/group_migrations.hpp"

#include <string>
#include <vector>

namespace aa::core::groups {
namespace {

struct TableDef {
  std::string name;
  std::string columns;  // Everything between the parentheses.
};

std::vector<TableDef> initial_tables(const Schema& s) {
  return {
      // Upstream's AuthGroup: one row per auth_groups row. A group without a
      // row reads as the defaults (internal and hidden), which is what a new
      // group gets.
      {"groupmanagement_authgroups",
       "group_id BIGINT PRIMARY KEY REFERENCES auth_groups(id) ON DELETE CASCADE"
       ", internal SMALLINT NOT NULL DEFAULT 1"
       ", hidden SMALLINT NOT NULL DEFAULT 1"
       ", open SMALLINT NOT NULL DEFAULT 0"
       ", public SMALLINT NOT NULL DEFAULT 0"
       ", restricted SMALLINT NOT NULL DEFAULT 0"
       ", description " + s.long_text() + " NOT NULL"},
      {"groupmanagement_group_leaders",
       "group_id BIGINT NOT NULL REFERENCES auth_groups(id) ON DELETE CASCADE"
       ", user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE"
       ", PRIMARY KEY (group_id, user_id)"},
      {"groupmanagement_group_leader_groups",
       "group_id BIGINT NOT NULL REFERENCES auth_groups(id) ON DELETE CASCADE"
       ", leader_group_id BIGINT NOT NULL REFERENCES auth_groups(id) ON DELETE CASCADE"
       ", PRIMARY KEY (group_id, leader_group_id)"},
      // Empty for a group means every state may join it.
      {"groupmanagement_group_states",
       "group_id BIGINT NOT NULL REFERENCES auth_groups(id) ON DELETE CASCADE"
       ", state_id BIGINT NOT NULL REFERENCES states(id) ON DELETE CASCADE"
       ", PRIMARY KEY (group_id, state_id)"},
      // Pending requests only: a processed request is deleted and leaves an
      // audit row. One pending request per user and group, join or leave.
      {"groupmanagement_requests", s.auto_id() +
                                       ", user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE"
                                       ", group_id BIGINT NOT NULL REFERENCES auth_groups(id) ON DELETE CASCADE"
                                       ", leave_request SMALLINT NOT NULL DEFAULT 0"
                                       ", created BIGINT NOT NULL"
                                       ", UNIQUE (user_id, group_id)"},
      // Names are copied in, so an entry still reads right after the user is
      // renamed or deleted. request_id is unique: a request is processed once.
      {"groupmanagement_request_log",
       s.auto_id() +
           ", group_id BIGINT NOT NULL REFERENCES auth_groups(id) ON DELETE CASCADE"
           ", request_id BIGINT NULL UNIQUE"
           ", request_type VARCHAR(8) NOT NULL"
           ", action VARCHAR(8) NOT NULL"
           ", requestor_id BIGINT NULL REFERENCES users(id) ON DELETE SET NULL"
           ", requestor_name VARCHAR(150) NOT NULL"
           ", main_character_name VARCHAR(254) NOT NULL DEFAULT ''"
           ", actor_id BIGINT NULL REFERENCES users(id) ON DELETE SET NULL"
           ", actor_name VARCHAR(150) NOT NULL"
           ", created BIGINT NOT NULL"},
      // name_key is the case-folded name, so "Discord" and "DISCORD" are one
      // reservation on both databases. Folding can lengthen a name (ß -> ss).
      {"groupmanagement_reserved_names", s.auto_id() +
                                             ", name VARCHAR(150) NOT NULL"
                                             ", name_key VARCHAR(300) NOT NULL UNIQUE"
                                             ", reason VARCHAR(512) NOT NULL"
                                             ", created_by VARCHAR(255) NOT NULL"
                                             ", created_at BIGINT NOT NULL"},
  };
}

void create_initial(Schema& s) {
  for (const auto& table : initial_tables(s)) {
    s.exec("CREATE TABLE " + table.name + " (" + table.columns + ")" + s.table_options());
  }
  s.exec("CREATE INDEX ix_groupmanagement_requests_group ON groupmanagement_requests (group_id)");
  s.exec("CREATE INDEX ix_groupmanagement_request_log_group ON groupmanagement_request_log (group_id, created)");
  s.exec("CREATE INDEX ix_groupmanagement_leaders_user ON groupmanagement_group_leaders (user_id)");
  s.exec("CREATE INDEX ix_groupmanagement_leader_groups_leader ON groupmanagement_group_leader_groups (leader_group_id)");

  // Groups that existed before keep upstream's defaults for new groups.
  s.exec("INSERT INTO groupmanagement_authgroups (group_id, internal, hidden, open, public, restricted, description) "
         "SELECT id, 1, 1, 0, 0, 0, '' FROM auth_groups");

  // As upstream ships it, members may request groups: the Member state gets
  // groupmanagement.request_groups. The daemon declares the permission when
  // it starts; the row is made here so the grant can reference it now.
  s.exec("INSERT INTO permissions (app_label, codename, name) SELECT 'groupmanagement', 'request_groups', "
         "'Can request non-public groups' FROM states WHERE name = 'Member' AND NOT EXISTS (SELECT 1 FROM "
         "permissions WHERE app_label = 'groupmanagement' AND codename = 'request_groups')");
  s.exec("INSERT INTO state_permissions (state_id, permission_id) SELECT s.id, p.id FROM states s, permissions p "
         "WHERE s.name = 'Member' AND p.app_label = 'groupmanagement' AND p.codename = 'request_groups' "
         "AND NOT EXISTS (SELECT 1 FROM state_permissions sp WHERE sp.state_id = s.id AND sp.permission_id = p.id)");
  s.exec("UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'");
}

void drop_initial(Schema& s) {
  auto tables = initial_tables(s);
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) s.exec("DROP TABLE " + it->name);
  // The Member grant goes with the feature; the permission row stays, as
  // the daemon declares it anyway.
  s.exec("DELETE FROM state_permissions WHERE state_id IN (SELECT id FROM states WHERE name = 'Member') AND "
         "permission_id IN (SELECT id FROM permissions WHERE app_label = 'groupmanagement' AND codename = "
         "'request_groups')");
  s.exec("UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'");
}

}  // namespace

MigrationSet group_migrations() {
  MigrationSet set;
  set.plugin = kMigrationSetName;
  set.migrations.push_back({1, "initial", create_initial, drop_initial});
  return set;
}

}  // namespace aa::core::groups
