#include "db/core_migrations.hpp"

#include <string>
#include <vector>

#include "admin/admin_migrations.hpp"
#include "auth/activation_mail_limit.hpp"
#include "auth/activation_tables.hpp"
#include "groups/group_migrations.hpp"
#include "services/service_tables.hpp"
#include "tasks/task_tables.hpp"

namespace aa::core {
namespace {

// Table definitions shared by up (in order) and down (in reverse order).
struct TableDef {
  std::string name;
  std::string columns;  // Everything between the parentheses.
};

std::vector<TableDef> initial_tables(const Schema& s) {
  return {
      {"users", s.auto_id() +
                    ", username VARCHAR(150) NOT NULL UNIQUE"
                    ", password VARCHAR(255) NOT NULL DEFAULT ''"
                    ", email VARCHAR(254) NOT NULL DEFAULT ''"
                    ", is_active SMALLINT NOT NULL DEFAULT 1"
                    ", is_staff SMALLINT NOT NULL DEFAULT 0"
                    ", is_superuser SMALLINT NOT NULL DEFAULT 0"
                    ", date_joined BIGINT NOT NULL"
                    ", last_login BIGINT NULL"},
      {"eve_factions", "faction_id BIGINT PRIMARY KEY, faction_name VARCHAR(254) NOT NULL"},
      {"eve_alliances", "alliance_id BIGINT PRIMARY KEY"
                        ", alliance_name VARCHAR(254) NOT NULL"
                        ", alliance_ticker VARCHAR(254) NOT NULL DEFAULT ''"
                        ", executor_corp_id BIGINT NULL"
                        ", updated_at BIGINT NOT NULL DEFAULT 0"},
      {"eve_corporations", "corporation_id BIGINT PRIMARY KEY"
                           ", corporation_name VARCHAR(254) NOT NULL"
                           ", corporation_ticker VARCHAR(254) NOT NULL DEFAULT ''"
                           ", member_count INTEGER NOT NULL DEFAULT 0"
                           ", ceo_id BIGINT NULL"
                           ", alliance_id BIGINT NULL"
                           ", faction_id BIGINT NULL"
                           ", updated_at BIGINT NOT NULL DEFAULT 0"},
      {"eve_characters", "character_id BIGINT PRIMARY KEY"
                         ", character_name VARCHAR(254) NOT NULL"
                         ", corporation_id BIGINT NOT NULL"
                         ", corporation_name VARCHAR(254) NOT NULL DEFAULT ''"
                         ", corporation_ticker VARCHAR(254) NOT NULL DEFAULT ''"
                         ", alliance_id BIGINT NULL"
                         ", alliance_name VARCHAR(254) NOT NULL DEFAULT ''"
                         ", alliance_ticker VARCHAR(254) NOT NULL DEFAULT ''"
                         ", faction_id BIGINT NULL"
                         ", faction_name VARCHAR(254) NOT NULL DEFAULT ''"
                         ", updated_at BIGINT NOT NULL DEFAULT 0"},
      {"states", s.auto_id() +
                     ", name VARCHAR(32) NOT NULL UNIQUE"
                     ", priority INTEGER NOT NULL UNIQUE"
                     ", public SMALLINT NOT NULL DEFAULT 0"},
      {"state_member_characters",
       "state_id BIGINT NOT NULL REFERENCES states(id) ON DELETE CASCADE"
       ", character_id BIGINT NOT NULL REFERENCES eve_characters(character_id) ON DELETE CASCADE"
       ", PRIMARY KEY (state_id, character_id)"},
      {"state_member_corporations",
       "state_id BIGINT NOT NULL REFERENCES states(id) ON DELETE CASCADE"
       ", corporation_id BIGINT NOT NULL REFERENCES eve_corporations(corporation_id) ON DELETE CASCADE"
       ", PRIMARY KEY (state_id, corporation_id)"},
      {"state_member_alliances",
       "state_id BIGINT NOT NULL REFERENCES states(id) ON DELETE CASCADE"
       ", alliance_id BIGINT NOT NULL REFERENCES eve_alliances(alliance_id) ON DELETE CASCADE"
       ", PRIMARY KEY (state_id, alliance_id)"},
      {"state_member_factions",
       "state_id BIGINT NOT NULL REFERENCES states(id) ON DELETE CASCADE"
       ", faction_id BIGINT NOT NULL REFERENCES eve_factions(faction_id) ON DELETE CASCADE"
       ", PRIMARY KEY (state_id, faction_id)"},
      {"user_profiles",
       "user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE"
       ", main_character_id BIGINT NULL UNIQUE REFERENCES eve_characters(character_id) ON DELETE SET NULL"
       ", state_id BIGINT NOT NULL REFERENCES states(id)"
       ", language VARCHAR(10) NOT NULL DEFAULT ''"
       ", theme VARCHAR(64) NOT NULL DEFAULT ''"},
      {"character_ownerships",
       "character_id BIGINT PRIMARY KEY REFERENCES eve_characters(character_id) ON DELETE CASCADE"
       ", user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE"
       ", owner_hash VARCHAR(28) NOT NULL UNIQUE"},
      {"ownership_records", s.auto_id() +
                                ", character_id BIGINT NOT NULL REFERENCES eve_characters(character_id) ON DELETE CASCADE"
                                ", owner_hash VARCHAR(28) NOT NULL"
                                ", user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE"
                                ", created BIGINT NOT NULL"},
      {"sso_tokens", s.auto_id() +
                         ", user_id BIGINT NULL REFERENCES users(id) ON DELETE CASCADE"
                         ", character_id BIGINT NOT NULL"
                         ", character_name VARCHAR(254) NOT NULL"
                         ", character_owner_hash VARCHAR(28) NOT NULL"
                         ", token_type VARCHAR(32) NOT NULL DEFAULT 'character'"
                         ", access_token " + s.long_text() + " NOT NULL"
                         ", refresh_token " + s.long_text() + " NOT NULL"
                         ", expires_at BIGINT NOT NULL"
                         ", created BIGINT NOT NULL"},
      {"sso_token_scopes",
       "token_id BIGINT NOT NULL REFERENCES sso_tokens(id) ON DELETE CASCADE"
       ", scope VARCHAR(255) NOT NULL"
       ", PRIMARY KEY (token_id, scope)"},
      {"permissions", s.auto_id() +
                          ", app_label VARCHAR(100) NOT NULL"
                          ", codename VARCHAR(100) NOT NULL"
                          ", name VARCHAR(255) NOT NULL"
                          ", UNIQUE (app_label, codename)"},
      {"auth_groups", s.auto_id() + ", name VARCHAR(150) NOT NULL UNIQUE"},
      {"user_groups",
       "user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE"
       ", group_id BIGINT NOT NULL REFERENCES auth_groups(id) ON DELETE CASCADE"
       ", PRIMARY KEY (user_id, group_id)"},
      {"user_permissions",
       "user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE"
       ", permission_id BIGINT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE"
       ", PRIMARY KEY (user_id, permission_id)"},
      {"group_permissions",
       "group_id BIGINT NOT NULL REFERENCES auth_groups(id) ON DELETE CASCADE"
       ", permission_id BIGINT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE"
       ", PRIMARY KEY (group_id, permission_id)"},
      {"state_permissions",
       "state_id BIGINT NOT NULL REFERENCES states(id) ON DELETE CASCADE"
       ", permission_id BIGINT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE"
       ", PRIMARY KEY (state_id, permission_id)"},
      {"notifications", s.auto_id() +
                            ", user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE"
                            ", level VARCHAR(10) NOT NULL"
                            ", title VARCHAR(254) NOT NULL"
                            ", message " + s.long_text() + " NOT NULL"
                            ", created BIGINT NOT NULL"
                            ", viewed SMALLINT NOT NULL DEFAULT 0"},
      // The key column stores a SHA-256 of the cookie value, so a copy of the
      // table cannot be replayed as cookies.
      {"sessions", "key_hash VARCHAR(64) PRIMARY KEY"
                   ", user_id BIGINT NULL REFERENCES users(id) ON DELETE CASCADE"
                   ", csrf_token VARCHAR(64) NOT NULL"
                   ", data " + s.long_text() + " NOT NULL"
                   ", created BIGINT NOT NULL"
                   ", expires_at BIGINT NOT NULL"},
      // Counters that writers bump in the same transaction as their change, so
      // every process can tell when its cached copies are stale.
      {"aa_data_versions", "name VARCHAR(64) PRIMARY KEY, version BIGINT NOT NULL"},
      // One-time `state` values of SSO authorize redirects.
      {"sso_pending_logins", "state VARCHAR(64) PRIMARY KEY"
                             ", session_hash VARCHAR(64) NOT NULL"
                             ", purpose VARCHAR(32) NOT NULL"
                             ", scopes VARCHAR(1024) NOT NULL DEFAULT ''"
                             ", next_url VARCHAR(1024) NOT NULL DEFAULT ''"
                             ", created BIGINT NOT NULL"},
  };
}

void create_initial(Schema& s) {
  for (const auto& table : initial_tables(s)) {
    s.exec("CREATE TABLE " + table.name + " (" + table.columns + ")" + s.table_options());
  }
  s.exec("CREATE INDEX ix_ownership_records_character ON ownership_records (character_id)");
  s.exec("CREATE INDEX ix_ownership_records_hash ON ownership_records (owner_hash)");
  s.exec("CREATE INDEX ix_sso_tokens_character ON sso_tokens (character_id)");
  s.exec("CREATE INDEX ix_sso_tokens_user ON sso_tokens (user_id)");
  s.exec("CREATE INDEX ix_character_ownerships_user ON character_ownerships (user_id)");
  s.exec("CREATE INDEX ix_notifications_user ON notifications (user_id, viewed)");
  s.exec("CREATE INDEX ix_sessions_expires ON sessions (expires_at)");
  s.exec("CREATE INDEX ix_user_profiles_state ON user_profiles (state_id)");

  s.exec("INSERT INTO aa_data_versions (name, version) VALUES ('auth', 1)");

  // The three states upstream creates: Guest is the public catch-all.
  s.exec("INSERT INTO states (name, priority, public) VALUES ('Member', 100, 0)");
  s.exec("INSERT INTO states (name, priority, public) VALUES ('Blue', 50, 0)");
  s.exec("INSERT INTO states (name, priority, public) VALUES ('Guest', 0, 1)");
}

void drop_initial(Schema& s) {
  auto tables = initial_tables(s);
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) s.exec("DROP TABLE " + it->name);
}

}  // namespace

MigrationSet core_migrations() {
  MigrationSet set;
  set.plugin = "core";
  set.migrations.push_back({1, "initial", create_initial, drop_initial});
  set.migrations.push_back(task_tables_migration(2));
  set.migrations.push_back(activation_tables_migration(3));
  set.migrations.push_back(service_tables_migration(4));
  set.migrations.push_back(activation_mail_sends_migration(5));
  set.migrations.push_back(activation_mail_addresses_migration(6));
  set.migrations.push_back(task_rerun_migration(7));
  return set;
}

std::vector<MigrationSet> core_part_migrations() { return {admin_migrations(), groups::group_migrations()}; }

bool is_core_part(std::string_view set_name) {
  for (const auto& set : core_part_migrations()) {
    if (set.plugin == set_name) return true;
  }
  return false;
}

}  // namespace aa::core
