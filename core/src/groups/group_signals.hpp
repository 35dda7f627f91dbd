// Core's reactions that keep group memberships within the rules after a
// change elsewhere: a user whose state a group does not allow leaves it, a
// user who loses groupmanagement.request_groups leaves every non-public
// group, and a deactivated user leaves every group. Each reaction commits
// its own transaction and then emits user_groups_changed for every group
// left, so services follow.
#pragma once

#include "aa/registry.hpp"

namespace aa::core {
class App;
}

namespace aa::core::groups {

void subscribe_group_rules(aa::Registry& registry, App& app);

}  // namespace aa::core::groups
