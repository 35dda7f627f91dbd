#include "groups/membership_rules.hpp"

#include <algorithm>
#include <string>

#include "auth/accounts.hpp"
#include "db/database.hpp"

namespace aa::core::groups {
namespace {

std::pair<std::string, std::string> split_code(std::string_view permission) {
  auto dot = permission.find('.');
  if (dot == std::string_view::npos) return {std::string(permission), {}};
  return {std::string(permission.substr(0, dot)), std::string(permission.substr(dot + 1))};
}

std::vector<long long> select_ids(soci::session& sql, const std::string& query, long long id) {
  std::vector<long long> ids;
  soci::rowset<soci::row> rows = (sql.prepare << query, soci::use(id));
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return ids;
}

// Removes the user from each group in `group_ids` together with any pending
// request for it.
int leave_groups(soci::session& sql, long long user_id, const std::vector<long long>& group_ids,
                 std::vector<SignalEvent>& events) {
  for (long long group_id : group_ids) {
    sql << "DELETE FROM user_groups WHERE user_id = :user AND group_id = :group", soci::use(user_id),
        soci::use(group_id);
    sql << "DELETE FROM groupmanagement_requests WHERE user_id = :user AND group_id = :group", soci::use(user_id),
        soci::use(group_id);
    events.push_back({.signal = Signal::user_groups_changed, .user_id = user_id, .group_id = group_id});
  }
  if (!group_ids.empty()) bump_auth_version(sql);
  return static_cast<int>(group_ids.size());
}

}  // namespace

bool user_has_permission(soci::session& sql, long long user_id, std::string_view permission) {
  auto user = load_user(sql, user_id);
  if (!user) return false;
  return load_permissions(sql, *user).has(permission);
}

bool group_grants(soci::session& sql, long long group_id, std::string_view permission) {
  auto [app_label, codename] = split_code(permission);
  int count = 0;
  sql << "SELECT COUNT(*) FROM group_permissions gp JOIN permissions p ON p.id = gp.permission_id "
         "WHERE gp.group_id = :group AND p.app_label = :app AND p.codename = :code",
      soci::use(group_id), soci::use(app_label), soci::use(codename), soci::into(count);
  return count > 0;
}

bool state_grants(soci::session& sql, long long state_id, std::string_view permission) {
  auto [app_label, codename] = split_code(permission);
  int count = 0;
  sql << "SELECT COUNT(*) FROM state_permissions sp JOIN permissions p ON p.id = sp.permission_id "
         "WHERE sp.state_id = :state AND p.app_label = :app AND p.codename = :code",
      soci::use(state_id), soci::use(app_label), soci::use(codename), soci::into(count);
  return count > 0;
}

int remove_from_non_public_groups(soci::session& sql, long long user_id, std::vector<SignalEvent>& events) {
  // A group without a settings row has the defaults, which are not public.
  auto groups = select_ids(sql,
                           "SELECT ug.group_id FROM user_groups ug LEFT JOIN groupmanagement_authgroups a "
                           "ON a.group_id = ug.group_id WHERE ug.user_id = :user AND COALESCE(a.public, 0) = 0 "
                           "ORDER BY ug.group_id",
                           user_id);
  int left = leave_groups(sql, user_id, groups, events);
  // Pending join requests for non-public groups could no longer be accepted.
  sql << "DELETE FROM groupmanagement_requests WHERE user_id = :user AND group_id NOT IN "
         "(SELECT group_id FROM groupmanagement_authgroups WHERE public = 1)",
      soci::use(user_id);
  return left;
}

int apply_request_groups_loss(soci::session& sql, long long user_id, std::vector<SignalEvent>& events) {
  auto user = load_user(sql, user_id);
  if (!user || !user->is_active) return 0;
  if (load_permissions(sql, *user).has(kRequestGroupsPermission)) return 0;
  return remove_from_non_public_groups(sql, user_id, events);
}

int remove_from_groups_closed_to_state(soci::session& sql, long long user_id, long long state_id,
                                       std::vector<SignalEvent>& events) {
  std::vector<long long> closed;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT ug.group_id FROM user_groups ug WHERE ug.user_id = :user "
                      "AND EXISTS (SELECT 1 FROM groupmanagement_group_states s WHERE s.group_id = ug.group_id) "
                      "AND NOT EXISTS (SELECT 1 FROM groupmanagement_group_states s WHERE s.group_id = ug.group_id "
                      "AND s.state_id = :state) ORDER BY ug.group_id",
       soci::use(user_id), soci::use(state_id));
  for (const auto& row : rows) closed.push_back(row_int(row, 0));
  int left = leave_groups(sql, user_id, closed, events);
  sql << "DELETE FROM groupmanagement_requests WHERE user_id = :user AND leave_request = 0 "
         "AND EXISTS (SELECT 1 FROM groupmanagement_group_states s WHERE s.group_id = groupmanagement_requests.group_id) "
         "AND NOT EXISTS (SELECT 1 FROM groupmanagement_group_states s "
         "WHERE s.group_id = groupmanagement_requests.group_id AND s.state_id = :state)",
      soci::use(user_id), soci::use(state_id);
  return left;
}

std::vector<std::string> users_outside_states(soci::session& sql, const std::vector<long long>& user_ids,
                                              const std::vector<long long>& state_ids) {
  std::vector<std::string> names;
  if (state_ids.empty()) return names;
  for (long long user_id : user_ids) {
    std::string username;
    long long state_id = 0;
    sql << "SELECT u.username, p.state_id FROM users u JOIN user_profiles p ON p.user_id = u.id WHERE u.id = :id",
        soci::use(user_id), soci::into(username), soci::into(state_id);
    if (std::find(state_ids.begin(), state_ids.end(), state_id) == state_ids.end()) names.push_back(username);
  }
  return names;
}

int remove_from_all_groups(soci::session& sql, long long user_id, std::vector<SignalEvent>& events) {
  auto groups = select_ids(sql, "SELECT group_id FROM user_groups WHERE user_id = :user ORDER BY group_id", user_id);
  int left = leave_groups(sql, user_id, groups, events);
  sql << "DELETE FROM groupmanagement_requests WHERE user_id = :user", soci::use(user_id);
  return left;
}

}  // namespace aa::core::groups
