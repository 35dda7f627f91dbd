// Core's own routes, menu items and permissions, registered through the
// same Registry the plugins use.
#pragma once

#include "aa/registry.hpp"

namespace aa::core {

class App;

void register_core_hooks(aa::Registry& registry, App& app);

}  // namespace aa::core
