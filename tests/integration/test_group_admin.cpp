// The group and reserved group name admins through the real daemon: new
// groups with the group-management settings, reserved names rejected in any
// case, restricted groups whose members only superusers change, the state
// rule applied when a group's allowed states change or a state is deleted,
// and users of a state a group does not allow rejected as new members on
// both forms.
#include <doctest/doctest.h>

#include <regex>

#include "auth/accounts.hpp"
#include "auth/states.hpp"
#include "group_test_support.hpp"
#include "groups/group_requests.hpp"
#include "harness.hpp"

using namespace aa::test;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;  // Kaelen Brightwater
constexpr long long kOmicronPilot = 2112000002;     // Omicron Project

using Form = std::vector<std::pair<std::string, std::string>>;

void make_staff(Daemon& daemon, long long user_id, bool superuser) {
  int is_superuser = superuser ? 1 : 0;
  daemon.db() << "UPDATE users SET is_staff = 1, is_superuser = :superuser WHERE id = :id", soci::use(is_superuser),
      soci::use(user_id);
  aa::core::bump_auth_version(daemon.db());
}

// Logs `admin` in as Kaelen, a superuser from then on.
void log_in_superuser(Daemon& daemon, Browser& admin) {
  auto admin_id = log_in(daemon, admin, kKarmaFleetPilot);
  make_staff(daemon, admin_id, true);
}

std::string version_of(const std::string& page) {
  static const std::regex kVersion(R"re(name="_version" value="([0-9a-f]*)")re");
  std::smatch match;
  return std::regex_search(page, match, kVersion) ? match[1].str() : std::string();
}

long long group_id(Daemon& daemon, const std::string& name) {
  long long id = 0;
  daemon.db() << "SELECT id FROM auth_groups WHERE name = :name", soci::use(name), soci::into(id);
  return id;
}

long long flag_of(Daemon& daemon, const std::string& column, long long id) {
  long long value = -1;
  daemon.db() << "SELECT " + column + " FROM groupmanagement_authgroups WHERE group_id = :id", soci::use(id),
      soci::into(value);
  return value;
}

}  // namespace

TEST_CASE("group admin: creates groups and rejects reserved names") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser admin(daemon.base_url());
    log_in_superuser(daemon, admin);

    REQUIRE(admin.get("/admin/groupmanagement/reservedgroupname/add/").status == 200);
    auto reserved = admin.post("/admin/groupmanagement/reservedgroupname/add/",
                               {{"name", "Discord Admins"}, {"reason", "Managed by another bot"}});
    CHECK(reserved.status == 302);
    CHECK(count_rows(daemon.db(), "groupmanagement_reserved_names") == 1);

    REQUIRE(admin.get("/admin/auth/group/add/").status == 200);
    auto groups_before = count_rows(daemon.db(), "auth_groups");
    auto rejected = admin.post("/admin/auth/group/add/",
                               {{"name", "DISCORD admins"}, {"internal", "on"}, {"hidden", "on"}});
    CHECK(rejected.status == 400);
    CHECK(contains(rejected.body, "is a reserved group name"));
    CHECK(contains(rejected.body, "is-invalid"));
    auto hostile = admin.post("/admin/auth/group/add/", {{"name", "Scouts"}, {"description", "bell \x07 here"}});
    CHECK(hostile.status == 400);
    CHECK(contains(hostile.body, "control characters"));
    auto too_long = admin.post("/admin/auth/group/add/", {{"name", std::string(151, 'g')}});
    CHECK(too_long.status == 400);
    CHECK(count_rows(daemon.db(), "auth_groups") == groups_before);

    auto created = admin.post("/admin/auth/group/add/",
                              {{"name", "Scouts"}, {"description", "Eyes in space"}, {"internal", "on"}, {"hidden", "on"}});
    CHECK(created.status == 302);
    auto scouts = group_id(daemon, "Scouts");
    REQUIRE(scouts != 0);
    CHECK(flag_of(daemon, "internal", scouts) == 1);
    CHECK(flag_of(daemon, "hidden", scouts) == 1);
    CHECK(flag_of(daemon, "open", scouts) == 0);
    auto page = admin.get("/admin/auth/group/" + std::to_string(scouts) + "/change/");
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "/group/request_add/" + std::to_string(scouts)));
  }
}

TEST_CASE("group admin: only superusers change a restricted group's members") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser staff(daemon.base_url());
    Browser member(daemon.base_url());
    auto staff_id = log_in(daemon, staff, kKarmaFleetPilot);
    auto member_id = log_in(daemon, member, kOmicronPilot);
    make_staff(daemon, staff_id, false);
    grant_user_permissions(daemon.db(), staff_id,
                           {"auth.view_group", "auth.add_group", "auth.change_group", "auth.delete_group"});
    daemon.db() << "INSERT INTO auth_groups (name) VALUES ('Directors')";
    auto directors = group_id(daemon, "Directors");
    daemon.db() << "INSERT INTO groupmanagement_authgroups (group_id, internal, hidden, open, public, restricted, "
                   "description) VALUES (:id, 1, 1, 0, 0, 1, '')",
        soci::use(directors);
    aa::core::bump_auth_version(daemon.db());

    auto path = "/admin/auth/group/" + std::to_string(directors) + "/change/";
    auto page = staff.get(path);
    REQUIRE(page.status == 200);
    Form form{{"_version", version_of(page.body)}, {"name", "Directors"}, {"internal", "on"}, {"hidden", "on"},
              {"members", std::to_string(member_id)}};
    const std::string reason = "Only superusers may set staff or superuser status";
    auto rejected = staff.post(path, form);
    CHECK(rejected.status == 403);
    CHECK(contains(rejected.body, reason));
    CHECK(contains(rejected.body, "value=\"Directors\""));
    CHECK_FALSE(is_group_member(daemon.db(), member_id, directors));

    // Deleting it is rejected with the reason, and the confirmation offers no button.
    auto delete_path = "/admin/auth/group/" + std::to_string(directors) + "/delete/";
    auto delete_page = staff.get(delete_path);
    CHECK(delete_page.status == 403);
    CHECK(contains(delete_page.body, reason));
    CHECK_FALSE(contains(delete_page.body, "name=\"post\""));
    auto deleted = staff.post(delete_path, {{"post", "yes"}});
    CHECK(deleted.status == 403);
    CHECK(contains(deleted.body, reason));
    REQUIRE(staff.get("/admin/auth/group/").status == 200);
    Form bulk{{"action", "delete_selected"}, {"_selected_action", std::to_string(directors)}};
    auto bulk_page = staff.post("/admin/auth/group/", bulk);
    CHECK(bulk_page.status == 403);
    CHECK(contains(bulk_page.body, reason));
    CHECK(contains(bulk_page.body, "\xE2\x80\x9C" "Directors" "\xE2\x80\x9D"));
    bulk.emplace_back("post", "yes");
    CHECK(staff.post("/admin/auth/group/", bulk).status == 403);
    CHECK(group_id(daemon, "Directors") == directors);

    // A change that leaves the members alone is allowed.
    form.pop_back();
    form.emplace_back("description", "Leadership");
    CHECK(staff.post(path, form).status == 302);
    std::string description;
    daemon.db() << "SELECT description FROM groupmanagement_authgroups WHERE group_id = :id", soci::use(directors),
        soci::into(description);
    CHECK(description == "Leadership");
    CHECK(flag_of(daemon, "restricted", directors) == 1);
  }
}

TEST_CASE("group admin: disallowed state members rejected") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser admin(daemon.base_url());
    Browser member(daemon.base_url());
    log_in_superuser(daemon, admin);
    auto member_id = log_in(daemon, member, kOmicronPilot);
    auto username = username_of(daemon.db(), member_id);
    long long member_state = 0;
    daemon.db() << "SELECT id FROM states WHERE name = 'Member'", soci::into(member_state);

    // Both pilots are Guests, so the group form rejects the member of a group
    // only for Members with a field error instead of dropping them.
    REQUIRE(admin.get("/admin/auth/group/add/").status == 200);
    auto added = admin.post("/admin/auth/group/add/", {{"_version", ""},
                                                       {"name", "Members only"},
                                                       {"states", std::to_string(member_state)},
                                                       {"members", std::to_string(member_id)}});
    CHECK(added.status == 400);
    CHECK(contains(added.body, "is-invalid"));
    CHECK(contains(added.body, username));
    CHECK(contains(added.body, "allowed states"));
    CHECK(group_id(daemon, "Members only") == 0);

    // Without the member the group is saved, and the user form rejects it.
    REQUIRE(admin.post("/admin/auth/group/add/",
                       {{"_version", ""}, {"name", "Members only"}, {"states", std::to_string(member_state)}})
                .status == 302);
    auto members_only = group_id(daemon, "Members only");
    REQUIRE(members_only != 0);
    auto path = "/admin/auth/user/" + std::to_string(member_id) + "/change/";
    auto page = admin.get(path);
    REQUIRE(page.status == 200);
    auto changed = admin.post(path, {{"_version", version_of(page.body)},
                                     {"username", username},
                                     {"is_active", "on"},
                                     {"groups", std::to_string(members_only)}});
    CHECK(changed.status == 400);
    CHECK(contains(changed.body, "Members only"));
    CHECK(contains(changed.body, "allowed states"));
    CHECK_FALSE(is_group_member(daemon.db(), member_id, members_only));
  }
}

TEST_CASE("group admin: deleting a state applies the state rules") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser admin(daemon.base_url());
    Browser member(daemon.base_url());
    log_in_superuser(daemon, admin);
    auto member_id = log_in(daemon, member, kOmicronPilot);

    // Omicron Project's pilot is in an Allies state that may request
    // groups (from their next login on), and joins an open group that is
    // not public.
    aa::core::StateRecord allies;
    allies.name = "Allies";
    allies.priority = 60;
    allies.member_corporations = {98179071};
    aa::core::save_state(daemon.db(), allies);
    grant_state_permissions(daemon.db(), "Allies", {"groupmanagement.request_groups"});
    auto fleet = open_group(daemon.db(), "Fleet");
    REQUIRE(sso_flow(member, kOmicronPilot).status == 302);
    member.get("/groups/");
    REQUIRE(member.post("/group/request_add/" + std::to_string(fleet.id), {}).status == 302);
    REQUIRE(is_group_member(daemon.db(), member_id, fleet.id));

    // Deleting Allies makes the pilot a Guest, who may not request groups,
    // so they leave the group as after any other change of state.
    admin.get("/admin/authentication/state/");
    auto deleted = admin.post("/admin/authentication/state/" + std::to_string(allies.id) + "/delete/", {{"post", "yes"}});
    REQUIRE(deleted.status == 302);
    std::string state;
    daemon.db() << "SELECT s.name FROM user_profiles p JOIN states s ON s.id = p.state_id WHERE p.user_id = :id",
        soci::use(member_id), soci::into(state);
    CHECK(state == "Guest");
    CHECK(wait_until([&] { return !is_group_member(daemon.db(), member_id, fleet.id); }, std::chrono::seconds(10)));
  }
}

TEST_CASE("group admin: delete page counts requests and log") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser admin(daemon.base_url());
    Browser member(daemon.base_url());
    auto admin_id = log_in(daemon, admin, kKarmaFleetPilot);
    make_staff(daemon, admin_id, true);
    auto member_id = log_in(daemon, member, kOmicronPilot);

    // Logistics has two pending requests and three audit log entries;
    // Scouts has none of either.
    namespace g = aa::core::groups;
    auto logistics = visible_group(daemon.db(), "Logistics");
    auto scouts = visible_group(daemon.db(), "Scouts");
    auto join_request = g::insert_request(daemon.db(), member_id, logistics.id, false);
    g::insert_request(daemon.db(), admin_id, logistics.id, true);
    for (long long request_id : {join_request, 0LL, 0LL}) {
      g::AuditEntry entry;
      entry.group_id = logistics.id;
      entry.request_id = request_id;
      entry.requestor_id = member_id;
      entry.actor_id = admin_id;
      g::add_audit_entry(daemon.db(), entry);
    }

    auto page = admin.get("/admin/auth/group/" + std::to_string(logistics.id) + "/delete/");
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "Pending join and leave requests: 2"));
    CHECK(contains(page.body, "Audit log entries: 3"));

    auto empty_page = admin.get("/admin/auth/group/" + std::to_string(scouts.id) + "/delete/");
    REQUIRE(empty_page.status == 200);
    CHECK_FALSE(contains(empty_page.body, "Pending join and leave requests"));
    CHECK_FALSE(contains(empty_page.body, "Audit log entries"));

    // The bulk delete confirmation lists the same lines under each group.
    admin.get("/admin/auth/group/");
    auto bulk = admin.post("/admin/auth/group/", {{"action", "delete_selected"},
                                                  {"_selected_action", std::to_string(logistics.id)},
                                                  {"_selected_action", std::to_string(scouts.id)}});
    REQUIRE(bulk.status == 200);
    CHECK(contains(bulk.body, "Pending join and leave requests: 2"));
    CHECK(contains(bulk.body, "Audit log entries: 3"));

    // The lines are translated.
    auto german_page =
        admin.get("/admin/auth/group/" + std::to_string(logistics.id) + "/delete/", {"Accept-Language: de"});
    CHECK(contains(german_page.body, "Offene Beitritts- und Austrittsanfragen: 2"));
    CHECK(contains(german_page.body, "Einträge im Prüfprotokoll: 3"));

    // Deleting the group removes what the page listed.
    auto deleted = admin.post("/admin/auth/group/" + std::to_string(logistics.id) + "/delete/", {{"post", "yes"}});
    REQUIRE(deleted.status == 302);
    long long requests = -1;
    long long log_entries = -1;
    daemon.db() << "SELECT COUNT(*) FROM groupmanagement_requests WHERE group_id = :id", soci::use(logistics.id),
        soci::into(requests);
    daemon.db() << "SELECT COUNT(*) FROM groupmanagement_request_log WHERE group_id = :id", soci::use(logistics.id),
        soci::into(log_entries);
    CHECK(requests == 0);
    CHECK(log_entries == 0);
  }
}
