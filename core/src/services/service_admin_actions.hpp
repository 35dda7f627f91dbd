// The user admin's service actions, after upstream's
// make_service_hooks_update_groups_action and ..._sync_nickname_action: for
// each loaded service that supports it, "Update <service> groups" and
// "Sync <service> nickname" on the selected users. Each action queues one
// task for the selection, which calls the service's bulk method for the
// users who have an account:
//
//   allianceauth.services.tasks.update_groups_of_service  {"service": NAME, "user_ids": [N, ...]}
//   allianceauth.services.tasks.sync_nicknames_of_service {"service": NAME, "user_ids": [N, ...]}
#pragma once

#include <utility>
#include <string>
#include <vector>

#include "aa/admin.hpp"
#include "aa/registry.hpp"

namespace aa::core {

class App;

inline constexpr const char* kUpdateGroupsOfServiceTask = "allianceauth.services.tasks.update_groups_of_service";
inline constexpr const char* kSyncNicknamesOfServiceTask = "allianceauth.services.tasks.sync_nicknames_of_service";

/// Registers the two tasks above.
void register_service_action_tasks(aa::Registry& registry, App& app);

/// An action with the values its label's placeholders take ("service").
struct LabelledAction {
  AdminAction action;
  std::vector<std::pair<std::string, std::string>> label_args;
};

/// The actions for the user admin, two per service at most; read after every
/// plugin has registered its services.
std::vector<LabelledAction> service_user_actions(App& app);

}  // namespace aa::core
