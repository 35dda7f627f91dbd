#include "groups/group_signals.hpp"

#include <vector>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "auth/accounts.hpp"
#include "db/database.hpp"
#include "groups/group_repository.hpp"
#include "groups/membership_rules.hpp"

namespace aa::core::groups {
namespace {

std::vector<long long> ids_of(soci::session& sql, const std::string& query, long long id) {
  std::vector<long long> ids;
  soci::rowset<soci::row> rows = (sql.prepare << query, soci::use(id));
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return ids;
}

// The users a grant change can affect: the user, the group's members or the
// state's users.
std::vector<long long> users_of_grant(soci::session& sql, const SignalEvent& event) {
  if (event.user_id != 0) return {event.user_id};
  if (event.group_id != 0) return member_ids(sql, event.group_id);
  if (event.state_id != 0) {
    return ids_of(sql, "SELECT user_id FROM user_profiles WHERE state_id = :state ORDER BY user_id", event.state_id);
  }
  return {};
}

// Runs `change` in one transaction and emits what it caused after the commit.
template <typename Change>
void apply(App& app, const char* what, const SignalEvent& cause, Change change) {
  std::vector<SignalEvent> events;
  try {
    soci::session sql(app.db().pool());
    aa::WriteTransaction transaction(sql);
    change(sql, events);
    transaction.commit();
  } catch (const std::exception& error) {
    core_log().error("{} failed for user {} (group {}, state {}): {}; the memberships stay until the next change",
                     what, cause.user_id, cause.group_id, cause.state_id, error.what());
    return;
  }
  for (const auto& event : events) {
    core_log().info("{}: user {} left group {}", what, event.user_id, event.group_id);
    app.emit(event);
  }
}

}  // namespace

void subscribe_group_rules(aa::Registry& registry, App& app) {
  registry.subscribe(Signal::user_state_changed, [&app](aa::Context&, const SignalEvent& event) {
    apply(app, "state change", event, [&](soci::session& sql, std::vector<SignalEvent>& events) {
      auto user = load_user(sql, event.user_id);
      if (!user) return;
      remove_from_groups_closed_to_state(sql, user->id, user->state_id, events);
      apply_request_groups_loss(sql, user->id, events);
    });
  });

  // Only a change to groupmanagement.request_groups can take it away, so a
  // user an admin put into a non-public group without the permission keeps
  // the group when other grants change. An event without a permission (not
  // tied to one) applies the rule to every user it affects.
  registry.subscribe(Signal::permission_grant_changed, [&app](aa::Context&, const SignalEvent& event) {
    if (!event.permission.empty() && event.permission != kRequestGroupsPermission) return;
    apply(app, "permission change", event, [&](soci::session& sql, std::vector<SignalEvent>& events) {
      for (long long user_id : users_of_grant(sql, event)) apply_request_groups_loss(sql, user_id, events);
    });
  });

  // Leaving a group that granted groupmanagement.request_groups can take the
  // permission away. Joins and other groups are left alone, so a user an
  // admin adds to a group keeps it.
  registry.subscribe(Signal::user_groups_changed, [&app](aa::Context&, const SignalEvent& event) {
    if (event.user_id == 0 || event.group_id == 0) return;
    apply(app, "group change", event, [&](soci::session& sql, std::vector<SignalEvent>& events) {
      if (is_member(sql, event.user_id, event.group_id)) return;
      if (!group_grants(sql, event.group_id, kRequestGroupsPermission)) return;
      apply_request_groups_loss(sql, event.user_id, events);
    });
  });

  registry.subscribe(Signal::user_deactivated, [&app](aa::Context&, const SignalEvent& event) {
    apply(app, "deactivation", event, [&](soci::session& sql, std::vector<SignalEvent>& events) {
      auto user = load_user(sql, event.user_id);
      if (user && !user->is_active) remove_from_all_groups(sql, user->id, events);
    });
  });
}

}  // namespace aa::core::groups
