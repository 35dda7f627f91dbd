// Checks of the admin hooks a plugin registers, made when they arrive so a
// bad hook fails the plugin's registration with the reason.
#pragma once

#include "aa/admin.hpp"

namespace aa::core {

/// Throws std::invalid_argument naming the model and the problem: a name
/// that is not [a-z][a-z0-9_]*, a missing list or load function, empty or
/// duplicate column, filter, field or action names, a default order that is
/// no column, or a page size outside 1 to 1000.
void check_admin_hook(const AdminHook& hook);
/// The same for one action: name, label and run function.
void check_admin_action(const AdminAction& action);

}  // namespace aa::core
