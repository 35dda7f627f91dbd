#include "auth/activation_tables.hpp"

namespace aa::core {
namespace {

void create_activation_tables(aa::Schema& s) {
  // key_hash is the SHA-256 hex of the emailed key; NULL until a link is
  // issued. used_at stays set after activation so a reused link is told apart
  // from an unknown one.
  s.exec("CREATE TABLE email_activations (" + s.auto_id() +
         ", user_id BIGINT NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE"
         ", email VARCHAR(254) NOT NULL DEFAULT ''"
         ", key_hash VARCHAR(64) NULL"
         ", created BIGINT NOT NULL"
         ", expires_at BIGINT NOT NULL DEFAULT 0"
         ", used_at BIGINT NULL)" +
         s.table_options());
  s.exec("CREATE INDEX ix_email_activations_key ON email_activations (key_hash)");
}

void drop_activation_tables(aa::Schema& s) { s.exec("DROP TABLE email_activations"); }

}  // namespace

aa::Migration activation_tables_migration(int number) {
  return {number, "email activations", create_activation_tables, drop_activation_tables};
}

}  // namespace aa::core
