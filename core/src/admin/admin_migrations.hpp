// The admin site's own table: the change history of every object edited
// through it (Django's admin log). A migration set of its own, "admin",
// applied and reverted together with core.
#pragma once

#include "db/migrator.hpp"

namespace aa::core {

MigrationSet admin_migrations();

}  // namespace aa::core
