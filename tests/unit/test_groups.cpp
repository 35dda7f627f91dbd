// Group management below the pages: group settings and their validation,
// reserved names, join and leave requests, approval by managers and
// leaders, restricted groups, the audit log, the membership rules that
// follow state and permission changes, and deleting a group.
#include <doctest/doctest.h>

#include <chrono>
#include <thread>

#include "admin/models/admin_support.hpp"
#include "auth/accounts.hpp"
#include "auth/grants.hpp"
#include "groups/group_actions.hpp"
#include "groups/group_names.hpp"
#include "groups/group_repository.hpp"
#include "groups/group_requests.hpp"
#include "groups/membership_rules.hpp"
#include "test_support.hpp"

using namespace aa::core;
namespace g = aa::core::groups;

namespace {

struct Fixture {
  explicit Fixture(const std::string& backend) : database(backend), sql(database.db().pool()) {
    // The daemon declares it when it starts; the migrations do not.
    sql << "INSERT INTO permissions (app_label, codename, name) VALUES ('auth', 'group_management', "
           "'Access to add members to groups within the alliance')";
  }

  long long state_id(const std::string& name) {
    long long id = 0;
    sql << "SELECT id FROM states WHERE name = :name", soci::use(name), soci::into(id);
    return id;
  }

  long long user(const std::string& name, const std::string& state = "Member") {
    auto id = create_user(sql, {.username = name});
    auto state_value = state_id(state);
    sql << "UPDATE user_profiles SET state_id = :state WHERE user_id = :id", soci::use(state_value), soci::use(id);
    return id;
  }

  aa::User load(long long user_id) { return *load_user(sql, user_id); }

  bool can_request(long long user_id) { return load_permissions(sql, load(user_id)).has(g::kRequestGroupsPermission); }

  g::Group group(const std::string& name, bool open = false, bool hidden = false, bool is_public = false) {
    g::Group group;
    group.name = name;
    group.internal = false;
    group.hidden = hidden;
    group.open = open;
    group.is_public = is_public;
    std::vector<aa::SignalEvent> events;
    auto errors = g::save_group(sql, group, aa::core::text::untranslated, events);
    REQUIRE(errors.empty());
    return group;
  }

  g::Manager manager(long long user_id, bool has_group_management = false) {
    return g::manager_for(sql, load(user_id), has_group_management);
  }

  // Saves changed settings of a group, which must pass validation.
  void save(g::Group& group, std::vector<aa::SignalEvent>& events) {
    REQUIRE(g::save_group(sql, group, aa::core::text::untranslated, events).empty());
  }

  // A group with the default settings of a new one: internal and hidden.
  g::Group internal_group(const std::string& name, std::vector<aa::SignalEvent>& events) {
    g::Group group;
    group.name = name;
    save(group, events);
    return group;
  }

  // Files a join request that must wait for a manager; returns its id.
  long long pending_join(long long user_id, long long group_id, std::vector<aa::SignalEvent>& events) {
    REQUIRE(g::request_join(sql, load(user_id), true, group_id, events).outcome == g::Outcome::pending);
    return g::find_request(sql, user_id, group_id)->id;
  }

  long long count(const std::string& table) {
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM " + table, soci::into(rows);
    return rows;
  }

  aa::test::TestDatabase database;
  soci::session sql;
};

// Runs the body once on each database backend with a fresh fixture.
template <class Body>
void for_each_backend(Body body) {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    body(f);
  }
}

bool has_groups_event(const std::vector<aa::SignalEvent>& events, long long user_id, long long group_id) {
  for (const auto& event : events) {
    if (event.signal == aa::Signal::user_groups_changed && event.user_id == user_id && event.group_id == group_id) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("groups: bad group fields are rejected field by field") {
  for_each_backend([](Fixture& f) {
    std::vector<aa::SignalEvent> events;
    auto groups_before = f.count("auth_groups");

    struct Case {
      std::string name;
      std::string description;
      std::string field;
    };
    const std::vector<Case> cases{
        {"", "", "name"},
        {std::string(151, 'x'), "", "name"},
        {"Line\nbreak", "", "name"},
        {" Leading", "", "name"},
        {"Bad \xC3\x28 UTF-8", "", "name"},
        {"Fine", std::string(2001, 'd'), "description"},
        {"Fine", "Bell \x07 here", "description"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      g::Group group;
      group.name = c.name;
      group.description = c.description;
      auto errors = g::save_group(f.sql, group, aa::core::text::untranslated, events);
      CHECK(errors.count(c.field) == 1);
      CHECK(errors.size() == 1);
      CHECK(group.id == 0);
    }

    g::Group unknown_ids;
    unknown_ids.name = "Unknown ids";
    unknown_ids.leader_ids = {999999};
    unknown_ids.leader_group_ids = {999999};
    unknown_ids.state_ids = {999999};
    auto errors = g::save_group(f.sql, unknown_ids, aa::core::text::untranslated, events);
    CHECK(errors.count("leader_ids") == 1);
    CHECK(errors.count("leader_group_ids") == 1);
    CHECK(errors.count("state_ids") == 1);
    CHECK(errors.at("leader_ids").find("999999") != std::string::npos);

    // A new group cannot name itself (id 0) as its own leader group.
    g::Group self_lead;
    self_lead.name = "Self lead";
    self_lead.leader_group_ids = {0};
    CHECK(g::save_group(f.sql, self_lead, aa::core::text::untranslated, events).count("leader_group_ids") == 1);

    CHECK(f.count("auth_groups") == groups_before);
    CHECK(f.count("groupmanagement_authgroups") == 0);
    CHECK(events.empty());
  });
}

TEST_CASE("groups: new groups are internal and hidden") {
  for_each_backend([](Fixture& f) {
    g::Group group;
    group.name = "Scouts";
    std::vector<aa::SignalEvent> events;
    f.save(group, events);
    auto stored = g::load_group(f.sql, group.id);
    REQUIRE(stored);
    CHECK(stored->internal);
    CHECK(stored->hidden);
    CHECK_FALSE(stored->open);
    CHECK_FALSE(stored->is_public);
    CHECK_FALSE(stored->restricted);
  });
}

TEST_CASE("groups: reserved names block creating and renaming") {
  for_each_backend([](Fixture& f) {
    g::ReservedName reserved{.name = "Discord Admins", .reason = "Managed by a bot", .created_by = "admin"};
    REQUIRE(g::save_reserved_name(f.sql, reserved, aa::core::text::untranslated).empty());
    CHECK(g::is_reserved_name(f.sql, "DISCORD admins"));

    std::vector<aa::SignalEvent> events;
    g::Group created;
    created.name = "discord ADMINS";
    auto errors = g::save_group(f.sql, created, aa::core::text::untranslated, events);
    REQUIRE(errors.count("name") == 1);
    CHECK(errors.at("name").find("reserved") != std::string::npos);
    CHECK(errors.at("name").find("discord ADMINS") != std::string::npos);

    auto existing = f.group("Scouts");
    existing.name = "Discord Admins";
    CHECK(g::save_group(f.sql, existing, aa::core::text::untranslated, events).count("name") == 1);
    CHECK(g::load_group(f.sql, existing.id)->name == "Scouts");

    // A second reservation differing only in case, and one naming an
    // existing group, are rejected too.
    g::ReservedName same{.name = "DISCORD ADMINS", .reason = "again", .created_by = "admin"};
    CHECK(g::save_reserved_name(f.sql, same, aa::core::text::untranslated).count("name") == 1);
    g::ReservedName taken{.name = "scouts", .reason = "taken", .created_by = "admin"};
    CHECK(g::save_reserved_name(f.sql, taken, aa::core::text::untranslated).count("name") == 1);
    g::ReservedName empty{.name = "", .reason = std::string(513, 'r'), .created_by = ""};
    auto reserved_errors = g::save_reserved_name(f.sql, empty, aa::core::text::untranslated);
    CHECK(reserved_errors.count("name") == 1);
    CHECK(reserved_errors.count("reason") == 1);
    CHECK(reserved_errors.count("created_by") == 1);
    CHECK(f.count("groupmanagement_reserved_names") == 1);
  });
}

TEST_CASE("groups: joining follows the group settings") {
  for_each_backend([](Fixture& f) {
    auto member = f.user("member");
    auto guest = f.user("guest", "Guest");
    REQUIRE(f.can_request(member));  // The Member state holds it after the migration.
    REQUIRE_FALSE(f.can_request(guest));

    auto open = f.group("Open group", true);
    auto closed = f.group("Closed group");
    auto public_group = f.group("Public group", true, false, true);
    std::vector<aa::SignalEvent> events;
    auto internal = f.internal_group("Internal group", events);
    auto blue_only = f.group("Blue only", true);
    blue_only.state_ids = {f.state_id("Blue")};
    f.save(blue_only, events);

    events.clear();
    auto joined = g::request_join(f.sql, f.load(member), true, open.id, events);
    CHECK(joined.outcome == g::Outcome::done);
    CHECK(g::is_member(f.sql, member, open.id));
    CHECK(has_groups_event(events, member, open.id));

    auto pending = g::request_join(f.sql, f.load(member), true, closed.id, events);
    CHECK(pending.outcome == g::Outcome::pending);
    CHECK_FALSE(g::is_member(f.sql, member, closed.id));
    CHECK(g::find_request(f.sql, member, closed.id));
    CHECK(g::request_join(f.sql, f.load(member), true, closed.id, events).outcome == g::Outcome::unchanged);

    CHECK(g::request_join(f.sql, f.load(member), true, internal.id, events).outcome == g::Outcome::forbidden);
    CHECK(g::request_join(f.sql, f.load(member), true, blue_only.id, events).outcome == g::Outcome::forbidden);
    CHECK(g::request_join(f.sql, f.load(guest), false, closed.id, events).outcome == g::Outcome::forbidden);
    CHECK(g::request_join(f.sql, f.load(guest), false, public_group.id, events).outcome == g::Outcome::done);
    CHECK(g::request_join(f.sql, f.load(member), true, 999999, events).outcome == g::Outcome::not_found);

    // The open join is in the audit log, accepted by the user themselves.
    auto log = g::search_audit_log(f.sql, {.group_id = open.id});
    REQUIRE(log.entries.size() == 1);
    CHECK(log.entries[0].type == g::LogType::join);
    CHECK(log.entries[0].action == g::LogAction::accept);
    CHECK(log.entries[0].actor_name == "member");

    auto listed = g::groups_for_user(f.sql, f.load(guest), false);
    REQUIRE(listed.size() == 1);
    CHECK(listed[0].name == "Public group");
  });
}

TEST_CASE("groups: leaving needs approval unless open or auto leave") {
  for_each_backend([](Fixture& f) {
    auto member = f.user("member");
    auto open = f.group("Open group", true);
    auto closed = f.group("Closed group");
    auto other_closed = f.group("Other closed group");
    std::vector<aa::SignalEvent> events;
    auto internal = f.internal_group("Internal group", events);
    for (auto id : {open.id, closed.id, other_closed.id, internal.id}) g::add_member(f.sql, id, member, events);

    events.clear();
    CHECK(g::request_leave(f.sql, f.load(member), open.id, {}, events).outcome == g::Outcome::done);
    CHECK_FALSE(g::is_member(f.sql, member, open.id));
    CHECK(has_groups_event(events, member, open.id));

    CHECK(g::request_leave(f.sql, f.load(member), closed.id, {}, events).outcome == g::Outcome::pending);
    CHECK(g::is_member(f.sql, member, closed.id));
    CHECK(g::request_leave(f.sql, f.load(member), closed.id, {}, events).outcome == g::Outcome::unchanged);

    CHECK(g::request_leave(f.sql, f.load(member), other_closed.id, {.auto_leave = true}, events).outcome ==
          g::Outcome::done);
    CHECK_FALSE(g::is_member(f.sql, member, other_closed.id));

    CHECK(g::request_leave(f.sql, f.load(member), internal.id, {.auto_leave = true}, events).outcome ==
          g::Outcome::forbidden);
    CHECK(g::is_member(f.sql, member, internal.id));
    CHECK(g::request_leave(f.sql, f.load(member), open.id, {}, events).outcome == g::Outcome::unchanged);
  });
}

TEST_CASE("groups: leaders manage only their groups") {
  for_each_backend([](Fixture& f) {
    auto requester = f.user("requester");
    auto leader = f.user("leader");
    auto via_group = f.user("via_group");
    auto nobody = f.user("nobody");
    auto officers = f.group("Officers");
    auto led = f.group("Led group");
    auto other = f.group("Other group");
    std::vector<aa::SignalEvent> events;
    led.leader_ids = {leader};
    led.leader_group_ids = {officers.id};
    f.save(led, events);
    g::add_member(f.sql, officers.id, via_group, events);

    auto led_request = f.pending_join(requester, led.id, events);
    auto other_request = f.pending_join(requester, other.id, events);

    CHECK_FALSE(f.manager(nobody).any());
    CHECK(g::process_request(f.sql, f.manager(nobody), led_request, true, events).outcome == g::Outcome::forbidden);
    CHECK(g::process_request(f.sql, f.manager(leader), other_request, true, events).outcome ==
          g::Outcome::forbidden);
    CHECK(g::count_actionable_requests(f.sql, f.manager(leader)) == 1);
    CHECK(g::count_actionable_requests(f.sql, f.manager(via_group)) == 1);
    CHECK(g::count_actionable_requests(f.sql, f.manager(nobody, true)) == 2);
    CHECK(f.count("groupmanagement_requests") == 2);
    CHECK(f.count("groupmanagement_request_log") == 0);

    events.clear();
    auto accepted = g::process_request(f.sql, f.manager(via_group), led_request, true, events);
    CHECK(accepted.outcome == g::Outcome::done);
    CHECK(g::is_member(f.sql, requester, led.id));
    CHECK(has_groups_event(events, requester, led.id));
    auto rejected = g::process_request(f.sql, f.manager(nobody, true), other_request, false, events);
    CHECK(rejected.outcome == g::Outcome::done);
    CHECK_FALSE(g::is_member(f.sql, requester, other.id));

    auto log = g::search_audit_log(f.sql, {.group_id = led.id});
    REQUIRE(log.entries.size() == 1);
    CHECK(log.entries[0].actor_name == "via_group");
    CHECK(log.entries[0].requestor_name == "requester");
    CHECK(log.entries[0].request_id == led_request);
    CHECK(g::search_audit_log(f.sql, {.group_id = other.id}).entries.at(0).action == g::LogAction::reject);

    // A second decision on a processed request changes nothing.
    CHECK(g::process_request(f.sql, f.manager(leader), led_request, false, events).outcome ==
          g::Outcome::already_done);
    CHECK(g::is_member(f.sql, requester, led.id));
    CHECK(f.count("groupmanagement_request_log") == 2);
  });
}

TEST_CASE("groups: restricted members change only through superusers") {
  for_each_backend([](Fixture& f) {
    auto requester = f.user("requester");
    auto manager = f.user("manager");
    auto root = f.user("root");
    f.sql << "UPDATE users SET is_superuser = 1 WHERE id = :id", soci::use(root);
    auto restricted = f.group("Restricted");
    restricted.restricted = true;
    std::vector<aa::SignalEvent> events;
    f.save(restricted, events);
    auto request_id = f.pending_join(requester, restricted.id, events);

    auto by_manager = f.manager(manager, true);
    CHECK(by_manager.can_view(restricted.id));
    CHECK(g::count_actionable_requests(f.sql, by_manager) == 0);
    CHECK(g::process_request(f.sql, by_manager, request_id, true, events).outcome == g::Outcome::forbidden);
    CHECK(g::find_request(f.sql, requester, restricted.id));

    CHECK(g::process_request(f.sql, f.manager(root), request_id, true, events).outcome == g::Outcome::done);
    CHECK(g::remove_by_manager(f.sql, by_manager, restricted.id, requester, events).outcome ==
          g::Outcome::forbidden);
    CHECK(g::is_member(f.sql, requester, restricted.id));
    CHECK(g::remove_by_manager(f.sql, f.manager(root), restricted.id, requester, events).outcome ==
          g::Outcome::done);
    CHECK_FALSE(g::is_member(f.sql, requester, restricted.id));
    auto log = g::search_audit_log(f.sql, {.group_id = restricted.id});
    REQUIRE(log.entries.size() == 2);
    CHECK(log.entries[0].type == g::LogType::removed);
    CHECK(log.entries[0].action == g::LogAction::removed);
  });
}

TEST_CASE("groups: two managers accepting at once leave one audit entry") {
  for_each_backend([](Fixture& f) {
    auto requester = f.user("requester");
    auto first_manager = f.user("first");
    auto second_manager = f.user("second");
    auto closed = f.group("Closed group");
    std::vector<aa::SignalEvent> events;
    auto request_id = f.pending_join(requester, closed.id, events);
    auto first = f.manager(first_manager, true);
    auto second = f.manager(second_manager, true);

    // The first manager's transaction is open when the second one starts,
    // so the second waits on the database lock and then finds the request
    // gone, whatever the thread timing.
    soci::session first_sql(f.database.db().pool());
    soci::session second_sql(f.database.db().pool());
    g::ActionResult second_result;
    {
      aa::WriteTransaction transaction(first_sql);
      std::vector<aa::SignalEvent> first_events;
      auto first_result = g::process_request(first_sql, first, request_id, true, first_events);
      CHECK(first_result.outcome == g::Outcome::done);
      std::thread racer([&] {
        std::vector<aa::SignalEvent> second_events;
        aa::WriteTransaction second_transaction(second_sql);
        second_result = g::process_request(second_sql, second, request_id, false, second_events);
        second_transaction.commit();
      });
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      transaction.commit();
      racer.join();
    }
    CHECK(second_result.outcome == g::Outcome::already_done);
    CHECK(g::is_member(f.sql, requester, closed.id));
    CHECK(f.count("groupmanagement_request_log") == 1);
    CHECK(f.count("groupmanagement_requests") == 0);
  });
}

TEST_CASE("groups: the audit search matches names and keeps wildcards literal") {
  for_each_backend([](Fixture& f) {
    auto alice = f.user("Alice");
    auto bob = f.user("bob_100");
    auto open = f.group("Open group", true);
    std::vector<aa::SignalEvent> events;
    g::request_join(f.sql, f.load(alice), true, open.id, events);
    g::request_join(f.sql, f.load(bob), true, open.id, events);

    CHECK(g::search_audit_log(f.sql, {.group_id = open.id}).total == 2);
    CHECK(g::search_audit_log(f.sql, {.group_id = open.id, .search = "aLiCe"}).total == 1);
    CHECK(g::search_audit_log(f.sql, {.group_id = open.id, .search = "%"}).total == 0);
    CHECK(g::search_audit_log(f.sql, {.group_id = open.id, .search = "A_ice"}).total == 0);
    CHECK(g::search_audit_log(f.sql, {.group_id = open.id, .search = "bob_1"}).total == 1);
    CHECK(g::search_audit_log(f.sql, {.group_id = open.id, .search = "' OR 1=1 --"}).total == 0);
    auto paged = g::search_audit_log(f.sql, {.group_id = open.id, .page = 2, .page_size = 1});
    CHECK(paged.total == 2);
    CHECK(paged.entries.size() == 1);
  });
}

TEST_CASE("groups: deleting a group leaves no dangling rows") {
  for_each_backend([](Fixture& f) {
    auto requester = f.user("requester");
    auto leader = f.user("leader");
    auto doomed = f.group("Doomed");
    auto led_by_doomed = f.group("Led by doomed");
    std::vector<aa::SignalEvent> events;
    doomed.leader_ids = {leader};
    doomed.state_ids = {f.state_id("Member")};
    f.save(doomed, events);
    led_by_doomed.leader_group_ids = {doomed.id};
    f.save(led_by_doomed, events);
    g::add_member(f.sql, doomed.id, leader, events);
    f.pending_join(requester, doomed.id, events);
    std::vector<aa::SignalEvent> grant_events;
    grant_permission(f.sql, "groupmanagement.request_groups", Grantee::group, "Doomed", grant_events);

    events.clear();
    CHECK(g::delete_group(f.sql, doomed.id, events));
    CHECK(has_groups_event(events, leader, doomed.id));
    REQUIRE_FALSE(events.empty());
    CHECK(events.back().signal == aa::Signal::group_deleted);
    CHECK(events.back().group_id == doomed.id);
    for (const auto* table : {"groupmanagement_requests", "groupmanagement_request_log", "groupmanagement_group_leaders",
                              "groupmanagement_group_leader_groups", "groupmanagement_group_states", "group_permissions",
                              "user_groups"}) {
      CAPTURE(table);
      CHECK(f.count(table) == 0);
    }
    CHECK(f.count("groupmanagement_authgroups") == 1);
    CHECK_FALSE(g::delete_group(f.sql, doomed.id, events));
  });
}

TEST_CASE("groups: a state the group does not allow removes its members") {
  for_each_backend([](Fixture& f) {
    auto member = f.user("member");
    auto blue = f.user("blue", "Blue");
    auto members_only = f.group("Members only");
    auto anyone = f.group("Anyone");
    std::vector<aa::SignalEvent> events;
    for (auto user : {member, blue}) {
      g::add_member(f.sql, members_only.id, user, events);
      g::add_member(f.sql, anyone.id, user, events);
    }

    // Restricting the allowed states removes members of other states at once.
    events.clear();
    members_only.state_ids = {f.state_id("Member")};
    f.save(members_only, events);
    CHECK(g::is_member(f.sql, member, members_only.id));
    CHECK_FALSE(g::is_member(f.sql, blue, members_only.id));
    CHECK(has_groups_event(events, blue, members_only.id));

    // A member whose state changes leaves the groups closed to the new state.
    events.clear();
    CHECK(g::remove_from_groups_closed_to_state(f.sql, member, f.state_id("Guest"), events) == 1);
    CHECK_FALSE(g::is_member(f.sql, member, members_only.id));
    CHECK(g::is_member(f.sql, member, anyone.id));
    CHECK(has_groups_event(events, member, members_only.id));
  });
}

TEST_CASE("groups: accepting needs a group the requester may still join") {
  for_each_backend([](Fixture& f) {
    auto member = f.user("member");
    auto manager = f.user("manager");
    auto closing = f.group("Closing");
    auto sealed = f.group("Sealed");
    std::vector<aa::SignalEvent> events;
    auto closing_request = f.pending_join(member, closing.id, events);
    auto sealed_request = f.pending_join(member, sealed.id, events);

    // After the request, one group stops allowing Members and the other
    // becomes internal.
    closing.state_ids = {f.state_id("Blue")};
    f.save(closing, events);
    sealed.internal = true;
    f.save(sealed, events);

    // Accepting is refused and changes nothing; rejecting still works.
    events.clear();
    auto refused = g::process_request(f.sql, f.manager(manager, true), closing_request, true, events);
    CHECK(refused.outcome == g::Outcome::forbidden);
    CHECK(refused.username == "member");
    CHECK_FALSE(g::is_member(f.sql, member, closing.id));
    CHECK(g::find_request(f.sql, member, closing.id));
    CHECK(g::process_request(f.sql, f.manager(manager, true), sealed_request, true, events).outcome ==
          g::Outcome::forbidden);
    CHECK_FALSE(g::is_member(f.sql, member, sealed.id));
    CHECK(events.empty());
    CHECK(f.count("groupmanagement_request_log") == 0);
    CHECK(g::process_request(f.sql, f.manager(manager, true), closing_request, false, events).outcome ==
          g::Outcome::done);
    CHECK_FALSE(g::find_request(f.sql, member, closing.id));
  });
}

TEST_CASE("groups: losing request_groups keeps only public groups") {
  for_each_backend([](Fixture& f) {
    auto member = f.user("member");
    auto closed = f.group("Closed group");
    auto public_group = f.group("Public group", true, false, true);
    std::vector<aa::SignalEvent> events;
    g::add_member(f.sql, closed.id, member, events);
    g::add_member(f.sql, public_group.id, member, events);

    // Still holding it: nothing happens.
    events.clear();
    CHECK(g::apply_request_groups_loss(f.sql, member, events) == 0);
    CHECK(events.empty());

    auto guest = f.state_id("Guest");
    f.sql << "UPDATE user_profiles SET state_id = :state WHERE user_id = :id", soci::use(guest), soci::use(member);
    CHECK(g::apply_request_groups_loss(f.sql, member, events) == 1);
    CHECK_FALSE(g::is_member(f.sql, member, closed.id));
    CHECK(g::is_member(f.sql, member, public_group.id));
    CHECK(has_groups_event(events, member, closed.id));
  });
}

TEST_CASE("permissions: superusers hold all and inactive users none") {
  for_each_backend([](Fixture& f) {
    auto member = f.user("member");
    auto root = f.user("root", "Guest");
    f.sql << "UPDATE users SET is_superuser = 1 WHERE id = :id", soci::use(root);
    std::vector<aa::SignalEvent> events;
    grant_permission(f.sql, "auth.group_management", Grantee::user, "member", events);

    CHECK(load_permissions(f.sql, f.load(member)).has("auth.group_management"));
    CHECK(load_permissions(f.sql, f.load(member)).has("groupmanagement.request_groups"));
    CHECK_FALSE(load_permissions(f.sql, f.load(member)).has("auth.timer_management"));
    CHECK(load_permissions(f.sql, f.load(root)).has("any.permission"));

    f.sql << "UPDATE users SET is_active = 0 WHERE id IN (:a, :b)", soci::use(member), soci::use(root);
    CHECK_FALSE(load_permissions(f.sql, f.load(member)).has("auth.group_management"));
    CHECK_FALSE(load_permissions(f.sql, f.load(member)).has("groupmanagement.request_groups"));
    CHECK_FALSE(load_permissions(f.sql, f.load(root)).has("any.permission"));
    CHECK_FALSE(f.manager(root).any());
  });
}

TEST_CASE("permissions: grant changes name grantee and permission") {
  for_each_backend([](Fixture& f) {
    auto member = f.user("member");
    auto group = f.group("Scouts");
    auto version = auth_version(f.sql);
    std::vector<aa::SignalEvent> events;

    CHECK(grant_permission(f.sql, "auth.group_management", Grantee::user, "member", events));
    CHECK(grant_permission(f.sql, "auth.group_management", Grantee::group, "Scouts", events));
    CHECK(grant_permission(f.sql, "auth.group_management", Grantee::state, "Blue", events));
    CHECK_FALSE(grant_permission(f.sql, "auth.group_management", Grantee::state, "Blue", events));
    CHECK(revoke_permission(f.sql, "auth.group_management", Grantee::user, "member", events));
    CHECK_FALSE(revoke_permission(f.sql, "auth.group_management", Grantee::user, "member", events));

    REQUIRE(events.size() == 4);
    for (const auto& event : events) {
      CHECK(event.signal == aa::Signal::permission_grant_changed);
      CHECK(event.permission == "auth.group_management");
    }
    CHECK(events[0].user_id == member);
    CHECK(events[1].group_id == group.id);
    CHECK(events[2].state_id == f.state_id("Blue"));
    CHECK(events[3].user_id == member);
    CHECK(auth_version(f.sql) == version + 4);
  });
}

TEST_CASE("permissions: admin forms name each changed permission") {
  for_each_backend([](Fixture& f) {
    auto group = f.group("Scouts");
    REQUIRE(replace_grants(f.sql, kGroupGrants, group.id, {"auth.group_management"}) ==
            std::vector<std::string>{"auth.group_management"});
    auto version = auth_version(f.sql);

    // Unchanged: no event and no stale caches.
    CHECK(replace_grants(f.sql, kGroupGrants, group.id, {"auth.group_management"}).empty());
    CHECK(auth_version(f.sql) == version);

    // One revoked, one granted, and an unknown code that the form never
    // offers is skipped.
    auto changed = replace_grants(f.sql, kGroupGrants, group.id,
                                  {std::string(g::kRequestGroupsPermission), "auth.no_such_permission"});
    CHECK(changed == std::vector<std::string>{"auth.group_management", g::kRequestGroupsPermission});
    CHECK(granted_codes(f.sql, kGroupGrants, group.id) == std::vector<std::string>{g::kRequestGroupsPermission});
    CHECK(auth_version(f.sql) == version + 1);

    auto events = grant_events(kGroupGrants, group.id, changed);
    REQUIRE(events.size() == 2);
    for (std::size_t i = 0; i < events.size(); ++i) {
      CAPTURE(i);
      CHECK(events[i].signal == aa::Signal::permission_grant_changed);
      CHECK(events[i].permission == changed[i]);
      CHECK(events[i].group_id == group.id);
      CHECK(events[i].user_id == 0);
      CHECK(events[i].state_id == 0);
    }
    CHECK(grant_events(kUserGrants, 7, {"a.b"}).front().user_id == 7);
    CHECK(grant_events(kStateGrants, 9, {"a.b"}).front().state_id == 9);
  });
}
