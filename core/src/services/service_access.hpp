// Keeping service accounts in line with access, after upstream's service
// signals: when a grant, a user's groups or state, or the user's activity
// changes, tasks re-check the users involved and remove the service accounts
// of those who lost the service's access permission.
//
//   allianceauth.services.tasks.validate_user        {"user_id": N}
//   allianceauth.services.tasks.validate_users_of    {"group_id": N} or {"state_id": N}
//   allianceauth.services.tasks.validate_all_users   every user, in batches (periodic)
//   allianceauth.services.tasks.validate_users_batch {"first_user_id": N, "last_user_id": N}
//   allianceauth.services.tasks.update_groups        {"user_id": N}
//   allianceauth.services.tasks.sync_nickname        {"user_id": N}
#pragma once

#include "aa/registry.hpp"

namespace aa::core {

class App;

inline constexpr const char* kValidateUserTask = "allianceauth.services.tasks.validate_user";
inline constexpr const char* kValidateUsersOfTask = "allianceauth.services.tasks.validate_users_of";
inline constexpr const char* kValidateAllUsersTask = "allianceauth.services.tasks.validate_all_users";
inline constexpr const char* kValidateUsersBatchTask = "allianceauth.services.tasks.validate_users_batch";
inline constexpr const char* kUpdateGroupsTask = "allianceauth.services.tasks.update_groups";
inline constexpr const char* kSyncNicknameTask = "allianceauth.services.tasks.sync_nickname";

/// Users per validate_users_batch task.
inline constexpr std::size_t kValidateBatch = 500;

/// Registers the tasks above and the signal reactions that enqueue them.
void register_service_tasks(aa::Registry& registry, App& app);

/// Checks one user against every loaded service: a service account of a user
/// who is inactive, deleted or without the access permission is removed (the
/// user is notified unless deleted), then the service's own validate_user
/// runs. Throws when a service failed, after trying every service.
void validate_user_services(App& app, long long user_id);

}  // namespace aa::core
