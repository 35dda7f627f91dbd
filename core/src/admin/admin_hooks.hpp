// Registers the admin site: its routes under /admin/ and the admins of the
// core models (users, groups, states, characters, ownerships, tokens,
// notifications, permissions and the change history itself).
#pragma once

#include "aa/registry.hpp"

namespace aa::core {

class App;

void register_admin_site(aa::Registry& registry, App& app);

}  // namespace aa::core
