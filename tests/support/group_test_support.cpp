#include "group_test_support.hpp"

#include <doctest/doctest.h>

#include <utility>

#include "aa/signals.hpp"
#include "auth/accounts.hpp"
#include "db_queries.hpp"
#include "web/text.hpp"

namespace aa::test {

namespace g = core::groups;

core::groups::Group save_group(soci::session& sql, core::groups::Group group) {
  std::vector<SignalEvent> events;
  auto errors = g::save_group(sql, group, core::text::untranslated, events);
  REQUIRE(errors.empty());
  return group;
}

core::groups::Group visible_group(soci::session& sql, const std::string& name, std::vector<long long> leader_ids) {
  return save_group(sql, {.name = name, .internal = false, .hidden = false, .leader_ids = std::move(leader_ids)});
}

core::groups::Group open_group(soci::session& sql, const std::string& name, std::vector<long long> leader_ids) {
  return save_group(sql,
                    {.name = name, .internal = false, .hidden = false, .open = true, .leader_ids = std::move(leader_ids)});
}

core::groups::Group public_open_group(soci::session& sql, const std::string& name) {
  return save_group(sql, {.name = name, .internal = false, .hidden = false, .open = true, .is_public = true});
}

void add_group_member(soci::session& sql, long long group_id, long long user_id) {
  std::vector<SignalEvent> events;
  REQUIRE(g::add_member(sql, group_id, user_id, events));
  core::bump_auth_version(sql);
}

void let_guests_request_groups(soci::session& sql) {
  grant_state_permissions(sql, "Guest", {"groupmanagement.request_groups"});
}

long long pending_request(soci::session& sql, long long user_id, long long group_id) {
  long long id = 0;
  sql << "SELECT id FROM groupmanagement_requests WHERE user_id = :u AND group_id = :g", soci::use(user_id),
      soci::use(group_id), soci::into(id);
  return id;
}

}  // namespace aa::test
