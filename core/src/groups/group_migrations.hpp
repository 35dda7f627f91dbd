// The schema of group management, a migration set of its own named
// "groupmanagement" that core registers right after its own set: the group
// settings, leaders, allowed states, join and leave requests, the request
// audit log and reserved group names. `allianceauth migrate groupmanagement
// zero` removes these tables and leaves core's groups and memberships.
#pragma once

#include "db/migrator.hpp"

namespace aa::core::groups {

inline constexpr const char* kMigrationSetName = "groupmanagement";

MigrationSet group_migrations();

}  // namespace aa::core::groups
