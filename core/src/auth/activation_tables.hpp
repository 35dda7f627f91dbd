// The core migration that adds email_activations (see email_activation.hpp).
#pragma once

#include "aa/db.hpp"

namespace aa::core {

/// The migration with the given core migration number.
aa::Migration activation_tables_migration(int number);

}  // namespace aa::core
