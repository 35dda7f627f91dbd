// The group pages: members' groups page with join and leave, and the group
// management pages for managers and leaders (requests, membership, members,
// audit log). Routes and menu items are registered by register_group_hooks.
#pragma once

#include "aa/http.hpp"
#include "aa/registry.hpp"

namespace aa::core {
class App;
}

namespace aa::core::views::groups {

Response groups_page(Request& request);
Response request_add(Request& request);
Response request_leave(Request& request);

Response management(Request& request);
Response process_request(Request& request, bool accept);
Response membership(Request& request);
Response membership_list(Request& request);
Response membership_remove(Request& request);
Response audit_log(Request& request);

/// Registers the group permissions, routes, menu items and core's group
/// reactions to signals.
void register_group_hooks(aa::Registry& registry, App& app);

}  // namespace aa::core::views::groups
