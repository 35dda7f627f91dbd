// Small reads of the database that tests use to check what a request or a
// task stored. Every query binds its values, and the query texts come from
// the tests themselves.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

namespace aa::test {

/// The first column of the first row of `query`, which binds one id as
/// ":id" (or any one placeholder); 0 when there is no row.
long long query_int(soci::session& sql, const std::string& query, long long id);

/// As query_int, for a text column; "" when there is no row.
std::string query_text(soci::session& sql, const std::string& query, long long id);

/// The user who owns the character. Fails the test when no user owns it.
long long user_of(soci::session& sql, long long character_id);

/// The username of a user id; "" when there is no such user.
std::string username_of(soci::session& sql, long long user_id);

/// True when the user is a member of the group.
bool is_group_member(soci::session& sql, long long user_id, long long group_id);

/// Grants "app_label.codename" permissions directly to a user and bumps the
/// auth data version, so the daemon reloads the user's permissions.
void grant_user_permissions(soci::session& sql, long long user_id, const std::vector<std::string>& codes);

/// Grants "app_label.codename" permissions to every user of the state named
/// `state` and bumps the auth data version, as grant_user_permissions does.
void grant_state_permissions(soci::session& sql, const std::string& state, const std::vector<std::string>& codes);

}  // namespace aa::test
