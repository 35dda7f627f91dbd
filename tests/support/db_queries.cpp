#include "db_queries.hpp"

#include <doctest/doctest.h>

#include <utility>

#include "auth/accounts.hpp"

namespace aa::test {

namespace {

// Splits "app_label.codename" at its first dot.
std::pair<std::string, std::string> split_permission_code(const std::string& code) {
  auto dot = code.find('.');
  return {code.substr(0, dot), code.substr(dot + 1)};
}

}  // namespace

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
    auto [app_label, codename] = split_permission_code(code);
    sql << "INSERT INTO user_permissions (user_id, permission_id) SELECT :user, id FROM permissions "
           "WHERE app_label = :app AND codename = :code",
        soci::use(user_id), soci::use(app_label), soci::use(codename);
  }
  core::bump_auth_version(sql);
}

void grant_state_permissions(soci::session& sql, const std::string& state, const std::vector<std::string>& codes) {
  for (const auto& code : codes) {
    auto [app_label, codename] = split_permission_code(code);
    sql << "INSERT INTO state_permissions (state_id, permission_id) SELECT s.id, p.id FROM states s, permissions p "
           "WHERE s.name = :state AND p.app_label = :app AND p.codename = :code",
        soci::use(state), soci::use(app_label), soci::use(codename);
  }
  core::bump_auth_version(sql);
}

}  // namespace aa::test
