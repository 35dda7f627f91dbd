// The /services/ page: one control row per service the user may use.
#pragma once

#include "aa/http.hpp"
#include "aa/registry.hpp"

namespace aa::core {

class App;

/// Registers /services/ (route services:services) and its menu item.
void register_services_page(aa::Registry& registry);

}  // namespace aa::core
