// Group management through the real daemon: requesting, approving,
// rejecting and leaving, member removal and the audit log, the hidden-group
// join link, the sidebar badge, the 403 answers to everyone who may not act
// (with nothing changed), bad audit searches, and the reaction to a
// permission granted or revoked with the CLI.
#include <doctest/doctest.h>

#include <utility>

#include "group_test_support.hpp"
#include "harness.hpp"

using namespace aa::test;
namespace g = aa::core::groups;

namespace {

constexpr long long kMemberPilot = 2112000001;   // KarmaFleet
constexpr long long kLeaderPilot = 2112000002;   // Omicron Project
constexpr long long kOutsiderPilot = 2112000004;  // KarmaFleet as well

std::string id_text(long long id) { return std::to_string(id); }

// Puts the member into "Closed", a visible group that is not public, and
// into "Public", a hidden public group, as an admin would, and returns both.
std::pair<g::Group, g::Group> add_to_closed_and_public_group(soci::session& sql, long long member_id) {
  auto closed = visible_group(sql, "Closed");
  auto public_group = save_group(sql, {.name = "Public", .internal = false, .is_public = true});
  add_group_member(sql, closed.id, member_id);
  add_group_member(sql, public_group.id, member_id);
  return {closed, public_group};
}

}  // namespace

TEST_CASE("groups: request, approve, leave and remove through the pages") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    let_guests_request_groups(daemon.db());
    Browser member(daemon.base_url());
    Browser leader(daemon.base_url());
    auto member_id = log_in(daemon, member, kMemberPilot);
    auto leader_id = log_in(daemon, leader, kLeaderPilot);
    auto member_name = username_of(daemon.db(), member_id);
    auto scouts = save_group(daemon.db(), {.name = "Scouts",
                                           .description = "About <b>Scouts</b>",
                                           .internal = false,
                                           .hidden = false,
                                           .leader_ids = {leader_id}});
    auto group_path = "/groupmanagement/membership/" + id_text(scouts.id) + "/";

    // The member sees the group, escaped, and asks to join.
    auto groups = member.get("/groups/");
    REQUIRE(groups.status == 200);
    CHECK(contains(groups.body, "About &lt;b&gt;Scouts&lt;/b&gt;"));
    CHECK(contains(groups.body, "<th scope=\"col\">Status</th>"));
    CHECK_FALSE(contains(groups.body, "Member Count"));
    CHECK_FALSE(contains(groups.body, "href=\"/groupmanagement/requests/\""));
    auto asked = member.post("/group/request_add/" + id_text(scouts.id), {});
    CHECK(asked.status == 302);
    auto request_id = pending_request(daemon.db(), member_id, scouts.id);
    REQUIRE(request_id != 0);
    CHECK_FALSE(is_group_member(daemon.db(), member_id, scouts.id));
    CHECK(contains(member.get("/groups/").body, "Join request pending"));

    // The leader sees the badge and the request, and accepts it.
    auto dashboard = leader.get("/dashboard/");
    CHECK(contains(dashboard.body, "href=\"/groupmanagement/requests/\""));
    CHECK(contains(dashboard.body, "badge bg-danger ms-auto\">1<"));
    auto requests = leader.get("/groupmanagement/requests/");
    REQUIRE(requests.status == 200);
    CHECK(contains(requests.body, member_name));
    auto accepted = leader.post("/groupmanagement/request/" + id_text(request_id) + "/accept/", {});
    CHECK(accepted.status == 302);
    CHECK(is_group_member(daemon.db(), member_id, scouts.id));
    CHECK(count_rows(daemon.db(), "groupmanagement_requests") == 0);

    // The membership page lists the group with its member count.
    auto membership = leader.get("/groupmanagement/membership/");
    REQUIRE(membership.status == 200);
    CHECK(contains(membership.body, "<th scope=\"col\">Member Count</th>"));
    CHECK(contains(membership.body, "<td>1</td>"));

    // A second click on the same request changes nothing and says why.
    auto again = leader.follow(leader.post("/groupmanagement/request/" + id_text(request_id) + "/reject/", {}));
    CHECK(again.status == 200);
    CHECK(contains(again.body, "already processed"));
    CHECK(is_group_member(daemon.db(), member_id, scouts.id));
    CHECK(count_rows(daemon.db(), "groupmanagement_request_log") == 1);

    // The member asks to leave; the leader rejects, so they stay.
    member.get("/groups/");
    CHECK(member.post("/group/request_leave/" + id_text(scouts.id), {}).status == 302);
    auto leave_id = pending_request(daemon.db(), member_id, scouts.id);
    REQUIRE(leave_id != 0);
    leader.get("/groupmanagement/requests/");
    CHECK(leader.post("/groupmanagement/request/" + id_text(leave_id) + "/reject/", {}).status == 302);
    CHECK(is_group_member(daemon.db(), member_id, scouts.id));

    // The leader removes the member on the members page.
    auto members = leader.get(group_path);
    REQUIRE(members.status == 200);
    CHECK(contains(members.body, member_name));
    auto removed = leader.post(group_path + "remove/" + id_text(member_id) + "/", {});
    CHECK(removed.status == 302);
    CHECK_FALSE(is_group_member(daemon.db(), member_id, scouts.id));

    // The audit log has all three decisions, newest first, and searches.
    auto log = leader.get(group_path + "audit-log/");
    REQUIRE(log.status == 200);
    CHECK(count_rows(daemon.db(), "groupmanagement_request_log") == 3);
    auto removed_at = log.body.find(">Removed<");
    auto rejected_at = log.body.find(">Reject<");
    auto accepted_at = log.body.find(">Accept<");
    CHECK(removed_at != std::string::npos);
    CHECK(rejected_at != std::string::npos);
    CHECK(accepted_at != std::string::npos);
    CHECK(removed_at < rejected_at);
    CHECK(rejected_at < accepted_at);
    CHECK(contains(log.body, "Kaelen Brightwater"));
    auto searched = leader.get(group_path + "audit-log/?search=reject");
    CHECK(searched.status == 200);
    CHECK(contains(searched.body, ">Reject<"));
    CHECK_FALSE(contains(searched.body, ">Accept<"));
  }
}

TEST_CASE("groups: forbidden actions answer 403 and change nothing") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    let_guests_request_groups(daemon.db());
    Browser member(daemon.base_url());
    Browser leader(daemon.base_url());
    Browser outsider(daemon.base_url());
    auto member_id = log_in(daemon, member, kMemberPilot);
    auto leader_id = log_in(daemon, leader, kLeaderPilot);
    REQUIRE(sso_flow(outsider, kOutsiderPilot).status == 302);
    auto scouts = visible_group(daemon.db(), "Scouts", {leader_id});
    auto other = visible_group(daemon.db(), "Other");
    auto internal = save_group(daemon.db(), {.name = "Internal"});

    member.get("/groups/");
    REQUIRE(member.post("/group/request_add/" + id_text(other.id), {}).status == 302);
    auto other_request = pending_request(daemon.db(), member_id, other.id);
    REQUIRE(other_request != 0);
    add_group_member(daemon.db(), scouts.id, member_id);
    auto scouts_path = "/groupmanagement/membership/" + id_text(scouts.id) + "/";
    auto other_path = "/groupmanagement/membership/" + id_text(other.id) + "/";

    // Someone who manages nothing sees no menu item and gets 403 everywhere.
    auto dashboard = outsider.get("/dashboard/");
    CHECK_FALSE(contains(dashboard.body, "href=\"/groupmanagement/requests/\""));
    for (const auto* path : {"/groupmanagement/requests/", "/groupmanagement/membership/"}) {
      CAPTURE(path);
      CHECK(outsider.get(path).status == 403);
    }
    CHECK(outsider.get(scouts_path).status == 403);
    CHECK(outsider.get(scouts_path + "audit-log/").status == 403);
    CHECK(outsider.post("/groupmanagement/request/" + id_text(other_request) + "/accept/", {}).status == 403);
    CHECK(outsider.post(scouts_path + "remove/" + id_text(member_id) + "/", {}).status == 403);

    // A leader acts only on the groups they lead.
    leader.get("/groupmanagement/requests/");
    CHECK(leader.post("/groupmanagement/request/" + id_text(other_request) + "/accept/", {}).status == 403);
    CHECK(leader.get(other_path).status == 403);
    CHECK(leader.get(other_path + "audit-log/").status == 403);
    CHECK(leader.post(other_path + "remove/" + id_text(member_id) + "/", {}).status == 403);
    CHECK_FALSE(contains(leader.get("/groupmanagement/membership/").body, ">Other<"));

    // Without the CSRF token nothing happens either.
    CHECK(leader.post(scouts_path + "remove/" + id_text(member_id) + "/", {}, false).status == 403);

    // Members cannot join internal groups, and GET never changes anything.
    CHECK(member.post("/group/request_add/" + id_text(internal.id), {}).status == 403);
    CHECK(member.get("/group/request_add/" + id_text(internal.id)).status == 403);
    CHECK(member.get("/group/request_add/999999").status == 404);
    CHECK(leader.get("/groupmanagement/request/" + id_text(other_request) + "/accept/").status == 405);

    CHECK(pending_request(daemon.db(), member_id, other.id) == other_request);
    CHECK(is_group_member(daemon.db(), member_id, scouts.id));
    CHECK_FALSE(is_group_member(daemon.db(), member_id, other.id));
    CHECK(count_rows(daemon.db(), "groupmanagement_requests") == 1);
    CHECK(count_rows(daemon.db(), "groupmanagement_request_log") == 0);

    Browser anonymous(daemon.base_url());
    auto redirect = anonymous.get("/groups/");
    CHECK(redirect.status == 302);
    CHECK(redirect.location().starts_with("/account/login/?next="));
  }
}

TEST_CASE("groups: the join link of a hidden group asks before joining") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  let_guests_request_groups(daemon.db());
  Browser member(daemon.base_url());
  auto member_id = log_in(daemon, member, kMemberPilot);
  auto hidden = save_group(daemon.db(), {.name = "Hidden ops", .internal = false, .hidden = true, .open = true});

  CHECK_FALSE(contains(member.get("/groups/").body, "Hidden ops"));
  auto link = "/group/request_add/" + id_text(hidden.id);
  auto confirm = member.get(link);
  REQUIRE(confirm.status == 200);
  CHECK(contains(confirm.body, "Hidden ops"));
  CHECK_FALSE(is_group_member(daemon.db(), member_id, hidden.id));

  auto joined = member.follow(member.post(link, {}));
  CHECK(joined.status == 200);
  CHECK(is_group_member(daemon.db(), member_id, hidden.id));
  CHECK(contains(joined.body, "You joined Hidden ops."));
  CHECK(contains(joined.body, "Hidden ops"));  // Members see their hidden groups.
}

TEST_CASE("groups: a bad audit search answers 400 and shows no entries") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser leader(daemon.base_url());
  auto leader_id = log_in(daemon, leader, kLeaderPilot);
  auto scouts = open_group(daemon.db(), "Scouts", {leader_id});
  add_group_member(daemon.db(), scouts.id, leader_id);
  auto path = "/groupmanagement/membership/" + id_text(scouts.id) + "/audit-log/";

  auto too_long = leader.get(path + "?search=" + std::string(101, 'a'));
  CHECK(too_long.status == 400);
  CHECK(contains(too_long.body, "is-invalid"));
  CHECK(contains(too_long.body, "at most 100 characters"));
  CHECK(contains(too_long.body, "(it has 101)"));
  auto control = leader.get(path + "?search=a%07b");
  CHECK(control.status == 400);
  CHECK(contains(control.body, "control characters or is not valid UTF-8"));
  CHECK_FALSE(contains(control.body, "at most 100 characters"));
  auto broken = leader.get(path + "?search=a%FFb");
  CHECK(broken.status == 400);
  CHECK(contains(broken.body, "control characters or is not valid UTF-8"));
  auto bad_page = leader.get(path + "?page=abc");
  CHECK(bad_page.status == 400);
  auto hostile = leader.get(path + "?search=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  CHECK(hostile.status == 200);
  CHECK_FALSE(contains(hostile.body, "<script>alert(1)"));
  CHECK(contains(hostile.body, "&lt;script&gt;alert(1)"));
}

TEST_CASE("groups: revoking request_groups with the CLI empties non-public groups") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    let_guests_request_groups(daemon.db());
    Browser member(daemon.base_url());
    auto member_id = log_in(daemon, member, kMemberPilot);
    auto [closed, public_group] = add_to_closed_and_public_group(daemon.db(), member_id);

    auto revoked = daemon.cli({"revoke", "groupmanagement.request_groups", "--state", "Guest"});
    REQUIRE_MESSAGE(revoked.status == 0, revoked.output);
    CHECK_FALSE(is_group_member(daemon.db(), member_id, closed.id));
    CHECK(is_group_member(daemon.db(), member_id, public_group.id));
  }
}

TEST_CASE("groups: only request_groups changes remove members") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser member(daemon.base_url());
    auto member_id = log_in(daemon, member, kMemberPilot);
    auto username = username_of(daemon.db(), member_id);

    // An admin puts the member, a Guest without request_groups, into a
    // group that is not public and into a public one.
    auto [closed, public_group] = add_to_closed_and_public_group(daemon.db(), member_id);

    // Unrelated grants to the group, the user and the state leave them there.
    for (const auto& [kind, grantee] : std::vector<std::pair<std::string, std::string>>{
             {"--group", "Closed"}, {"--user", username}, {"--state", "Guest"}}) {
      CAPTURE(kind);
      auto granted = daemon.cli({"grant", "auth.view_group", kind, grantee});
      REQUIRE_MESSAGE(granted.status == 0, granted.output);
      CHECK(is_group_member(daemon.db(), member_id, closed.id));
      auto revoked = daemon.cli({"revoke", "auth.view_group", kind, grantee});
      REQUIRE_MESSAGE(revoked.status == 0, revoked.output);
      CHECK(is_group_member(daemon.db(), member_id, closed.id));
    }

    // Granting request_groups removes nobody; revoking it from the state
    // empties the non-public group and keeps the public one.
    auto granted = daemon.cli({"grant", "groupmanagement.request_groups", "--state", "Guest"});
    REQUIRE_MESSAGE(granted.status == 0, granted.output);
    CHECK(is_group_member(daemon.db(), member_id, closed.id));
    auto revoked = daemon.cli({"revoke", "groupmanagement.request_groups", "--state", "Guest"});
    REQUIRE_MESSAGE(revoked.status == 0, revoked.output);
    CHECK_FALSE(is_group_member(daemon.db(), member_id, closed.id));
    CHECK(is_group_member(daemon.db(), member_id, public_group.id));
  }
}
