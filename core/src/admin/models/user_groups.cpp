#include "admin/models/user_groups.hpp"

#include <algorithm>

#include "auth/accounts.hpp"

namespace aa::core {
namespace {

std::vector<long long> to_ids(const std::vector<std::string>& texts) {
  std::vector<long long> ids;
  for (const auto& text : texts) ids.push_back(std::stoll(text));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

bool replace_user_groups(soci::session& sql, long long user_id, const std::vector<std::string>& group_ids) {
  std::vector<long long> current;
  for (const auto& group : groups_of_user(sql, user_id)) current.push_back(group.id);
  std::sort(current.begin(), current.end());
  auto wanted = to_ids(group_ids);
  if (current == wanted) return false;

  for (long long group : current) {
    if (std::binary_search(wanted.begin(), wanted.end(), group)) continue;
    sql << "DELETE FROM user_groups WHERE user_id = :user AND group_id = :group", soci::use(user_id), soci::use(group);
  }
  for (long long group : wanted) {
    if (std::binary_search(current.begin(), current.end(), group)) continue;
    sql << "INSERT INTO user_groups (user_id, group_id) VALUES (:user, :group)", soci::use(user_id), soci::use(group);
  }
  bump_auth_version(sql);
  return true;
}

bool touches_restricted_group(soci::session& sql, const std::vector<std::string>& before,
                              const std::vector<std::string>& after) {
  // TODO: core has no restricted flag on groups yet; read it here once the
  // group settings table exists. Until then no group is restricted.
  (void)sql;
  (void)before;
  (void)after;
  return false;
}

}  // namespace aa::core
