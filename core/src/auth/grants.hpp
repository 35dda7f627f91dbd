// Granting and revoking permissions to users, groups and states. Every
// change marks cached auth data stale, so it takes effect on the next
// request in every process, and appends a permission_grant_changed event
// naming the permission, which the caller emits after the commit.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/signals.hpp"

namespace aa::core {

enum class Grantee { user, group, state };

struct PermissionRow {
  std::string code;  ///< app_label.codename
  std::string name;
};

/// Every permission in the database, by code.
std::vector<PermissionRow> list_permissions(soci::session& sql);

/// Grants `code` to the user, group or state called `grantee_name`. Returns
/// false when it was already granted. Throws std::invalid_argument naming the
/// permission or grantee when either does not exist.
bool grant_permission(soci::session& sql, const std::string& code, Grantee kind, const std::string& grantee_name,
                      std::vector<SignalEvent>& events);
/// Revokes it; returns false when it was not granted.
bool revoke_permission(soci::session& sql, const std::string& code, Grantee kind, const std::string& grantee_name,
                       std::vector<SignalEvent>& events);

}  // namespace aa::core
