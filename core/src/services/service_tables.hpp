// The tables of the services framework: name formats per service and state.
#pragma once

#include "db/migrator.hpp"

namespace aa::core {

/// Core migration `number`: the name format tables.
aa::Migration service_tables_migration(int number);

}  // namespace aa::core
