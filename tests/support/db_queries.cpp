#include "db_queries.hpp"

#include <doctest/doctest.h>

#include "auth/accounts.hpp"

namespace aa::test {

long long query_int(soci::session& sql, const std::string& query, long long id) {
  long long value = 0;
  sql << query, soci::use(id), soci::into(value);
  return value;
}

std::string query_text(soci::session& sql, const std::string& query, long long id) {
  std::string value;
  sql << query, soci::use(id), soci::into(value);
  return value;
}

long long user_of(soci::session& sql, long long character_id) {
  auto user_id = query_int(sql, "SELECT user_id FROM character_ownerships WHERE character_id = :id", character_id);
  INFO("character ", character_id, " has no owner");
  REQUIRE(user_id > 0);
  return user_id;
}

std::string username_of(soci::session& sql, long long user_id) {
  return query_text(sql, "SELECT username FROM users WHERE id = :id", user_id);
}

bool is_group_member(soci::session& sql, long long user_id, long long group_id) {
  long long rows = 0;
  sql << "SELECT COUNT(*) FROM user_groups WHERE user_id = :u AND group_id = :g", soci::use(user_id),
      soci::use(group_id), soci::into(rows);
  return rows > 0;
}

void grant_user_permissions(soci::session& sql, long long user_id, const std::vector<std::string>& codes) {
  for (const auto& code : codes) {
    auto dot = code.find('.');
    auto app_label = code.substr(0, dot);
    auto codename = code.substr(dot + 1);
    sql << "INSERT INTO user_permissions (user_id, permission_id) SELECT :user, id FROM permissions "
           "WHERE app_label = :app AND codename = :code",
        soci::use(user_id), soci::use(app_label), soci::use(codename);
  }
  core::bump_auth_version(sql);
}

}  // namespace aa::test
