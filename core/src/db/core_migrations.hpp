// The core schema: users, EVE entities, states, ownership, tokens,
// permissions, groups, notifications and sessions.
#pragma once

#include "db/migrator.hpp"

namespace aa::core {

MigrationSet core_migrations();

}  // namespace aa::core
