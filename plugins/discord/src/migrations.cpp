#include "migrations.hpp"

#include <string>

namespace discord_service {
namespace {

// user_id is the auth user and uid the Discord user; both are plain
// columns, because core tables belong to core. Upstream keeps username at
// most 32 and discriminator at most 4 characters. activated is Unix seconds.
void create_users(aa::Schema& schema) {
  schema.exec(std::string("CREATE TABLE ") + kUserTable +
              " (user_id BIGINT NOT NULL PRIMARY KEY"
              ", uid BIGINT NOT NULL"
              ", username VARCHAR(32) NOT NULL DEFAULT ''"
              ", discriminator VARCHAR(4) NOT NULL DEFAULT ''"
              ", activated BIGINT NULL"
              ")" +
              schema.table_options());
  schema.exec(std::string("CREATE UNIQUE INDEX discord_users_uid ON ") + kUserTable + " (uid)");
}

void drop_users(aa::Schema& schema) { schema.exec(std::string("DROP TABLE ") + kUserTable); }

// The state ties a callback to the user who started the link flow, so a
// forged callback cannot link someone else's Discord account.
void create_oauth_states(aa::Schema& schema) {
  schema.exec(std::string("CREATE TABLE ") + kOAuthStateTable +
              " (state VARCHAR(64) NOT NULL PRIMARY KEY"
              ", user_id BIGINT NOT NULL"
              ", created_at BIGINT NOT NULL"
              ")" +
              schema.table_options());
}

void drop_oauth_states(aa::Schema& schema) { schema.exec(std::string("DROP TABLE ") + kOAuthStateTable); }

// from_state is 0 for a group and 1 for a state. role_name has room for
// Discord's maximum of 100 characters.
void create_rejected_roles(aa::Schema& schema) {
  schema.exec(std::string("CREATE TABLE ") + kRejectedRoleTable +
              " (from_state SMALLINT NOT NULL"
              ", source_id BIGINT NOT NULL"
              ", role_name VARCHAR(100) NOT NULL"
              ", rejected_at BIGINT NOT NULL"
              ", PRIMARY KEY (from_state, source_id)"
              ")" +
              schema.table_options());
}

void drop_rejected_roles(aa::Schema& schema) { schema.exec(std::string("DROP TABLE ") + kRejectedRoleTable); }

// role_id is the Discord role; role_name has room for Discord's maximum of
// 100 characters. reported_at is Unix seconds.
void create_roles_above_bot(aa::Schema& schema) {
  schema.exec(std::string("CREATE TABLE ") + kRoleAboveBotTable +
              " (role_id BIGINT NOT NULL PRIMARY KEY"
              ", role_name VARCHAR(100) NOT NULL"
              ", reported_at BIGINT NOT NULL"
              ")" +
              schema.table_options());
}

void drop_roles_above_bot(aa::Schema& schema) { schema.exec(std::string("DROP TABLE ") + kRoleAboveBotTable); }

}  // namespace

std::vector<aa::Migration> migrations() {
  return {
      {.number = 1, .name = "create_users", .up = create_users, .down = drop_users},
      {.number = 2, .name = "create_oauth_states", .up = create_oauth_states, .down = drop_oauth_states},
      {.number = 3, .name = "create_rejected_roles", .up = create_rejected_roles, .down = drop_rejected_roles},
      {.number = 4, .name = "create_roles_above_bot", .up = create_roles_above_bot, .down = drop_roles_above_bot},
  };
}

}  // namespace discord_service
