#include "services/service_tables.hpp"

namespace aa::core {
namespace {

void create_service_tables(Schema& s) {
  // One format per row, used for the states listed with it. service_name is
  // repeated in the state table so that the unique key allows only one format
  // per service and state, which upstream leaves to the admins.
  s.exec("CREATE TABLE service_name_formats (" + s.auto_id() +
         ", service_name VARCHAR(64) NOT NULL"
         ", format VARCHAR(255) NOT NULL)" + s.table_options());
  s.exec("CREATE TABLE service_name_format_states ("
         "name_format_id BIGINT NOT NULL REFERENCES service_name_formats(id) ON DELETE CASCADE"
         ", service_name VARCHAR(64) NOT NULL"
         ", state_id BIGINT NOT NULL REFERENCES states(id) ON DELETE CASCADE"
         ", PRIMARY KEY (name_format_id, state_id)"
         ", UNIQUE (service_name, state_id))" + s.table_options());
}

void drop_service_tables(Schema& s) {
  s.exec("DROP TABLE service_name_format_states");
  s.exec("DROP TABLE service_name_formats");
}

}  // namespace

aa::Migration service_tables_migration(int number) {
  return {number, "service name formats", create_service_tables, drop_service_tables};
}

}  // namespace aa::core
