// The core schema: users, EVE entities, states, ownership, tokens,
// permissions, groups, notifications and sessions.
#pragma once

#include <string_view>
#include <vector>

#include "db/migrator.hpp"

namespace aa::core {

MigrationSet core_migrations();

/// The migration sets of core's parts that keep tables of their own (the
/// admin site's change history, ...), in the order they are applied after
/// "core". `migrate core` applies them and, going to zero, reverts them too.
std::vector<MigrationSet> core_part_migrations();
/// True for the name of one of core_part_migrations().
bool is_core_part(std::string_view set_name);

}  // namespace aa::core
