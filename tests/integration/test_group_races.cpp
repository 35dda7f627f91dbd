// Group requests sent at the same moment through the real daemon: a member
// who clicks Join in several tabs at once, and two leaders who accept and
// reject one request at once, and a join while its group is deleted. Each
// ends in one membership, one pending request or one audit entry, and every
// click gets a redirect or a 404, not a 500.
#include <doctest/doctest.h>

#include <memory>
#include <thread>

#include "aa/db.hpp"
#include "group_test_support.hpp"
#include "harness.hpp"

using namespace aa::test;
namespace g = aa::core::groups;

namespace {

constexpr long long kMemberPilot = 2112000001;
constexpr long long kFirstLeaderPilot = 2112000002;
constexpr long long kSecondLeaderPilot = 2112000004;
constexpr int kTabs = 6;

long long count_where(Daemon& daemon, const std::string& table, long long user_id, long long group_id) {
  long long rows = 0;
  daemon.db() << "SELECT COUNT(*) FROM " + table + " WHERE user_id = :u AND group_id = :g", soci::use(user_id),
      soci::use(group_id), soci::into(rows);
  return rows;
}

// Browsers sharing the session of `logged_in`, like tabs of one browser,
// each with the CSRF token of a page it loaded.
std::vector<std::unique_ptr<Browser>> tabs_of(Browser& logged_in, int count) {
  std::vector<std::unique_ptr<Browser>> tabs;
  auto session = logged_in.cookie("sessionid");
  REQUIRE(session);
  for (int i = 0; i < count; ++i) {
    auto tab = std::make_unique<Browser>(logged_in.base_url());
    tab->set_cookie("sessionid", *session);
    if (auto csrf = logged_in.cookie("csrftoken")) tab->set_cookie("csrftoken", *csrf);
    REQUIRE(tab->get("/groups/").status == 200);
    tabs.push_back(std::move(tab));
  }
  return tabs;
}

// POSTs `paths[i]` from `browsers[i]`, all at once; returns the statuses.
std::vector<int> post_at_once(const std::vector<Browser*>& browsers, const std::vector<std::string>& paths) {
  std::vector<int> statuses(browsers.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < browsers.size(); ++i) {
    threads.emplace_back([&, i] { statuses[i] = browsers[i]->post(paths[i], {}).status; });
  }
  for (auto& thread : threads) thread.join();
  return statuses;
}

}  // namespace

TEST_CASE("group races: simultaneous joins apply once") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    let_guests_request_groups(daemon.db());
    Browser member(daemon.base_url());
    auto member_id = log_in(daemon, member, kMemberPilot);
    auto open_id = open_group(daemon.db(), "Open Fleet").id;
    auto closed_id = visible_group(daemon.db(), "Scouts").id;
    auto tabs = tabs_of(member, kTabs);
    std::vector<Browser*> browsers;
    for (auto& tab : tabs) browsers.push_back(tab.get());

    for (long long group_id : {open_id, closed_id}) {
      CAPTURE(group_id);
      auto statuses = post_at_once(browsers, std::vector<std::string>(kTabs, "/group/request_add/" +
                                                                                 std::to_string(group_id)));
      for (int status : statuses) CHECK(status == 302);
    }
    CHECK(count_where(daemon, "user_groups", member_id, open_id) == 1);
    CHECK(count_rows(daemon.db(), "groupmanagement_request_log") == 1);
    CHECK(count_where(daemon, "groupmanagement_requests", member_id, closed_id) == 1);
    CHECK(count_where(daemon, "user_groups", member_id, closed_id) == 0);
  }
}

TEST_CASE("group races: simultaneous decisions log once") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    let_guests_request_groups(daemon.db());
    Browser member(daemon.base_url());
    Browser first_leader(daemon.base_url());
    Browser second_leader(daemon.base_url());
    auto member_id = log_in(daemon, member, kMemberPilot);
    auto first_leader_id = log_in(daemon, first_leader, kFirstLeaderPilot);
    auto second_leader_id = log_in(daemon, second_leader, kSecondLeaderPilot);
    auto group_id = visible_group(daemon.db(), "Scouts", {first_leader_id, second_leader_id}).id;
    auto group_text = std::to_string(group_id);

    // Join and leave requests in turn, each accepted by one leader and
    // rejected by the other at the same moment.
    for (int round = 0; round < 8; ++round) {
      CAPTURE(round);
      bool member_before = count_where(daemon, "user_groups", member_id, group_id) == 1;
      member.get("/groups/");
      auto requested = member.post((member_before ? "/group/request_leave/" : "/group/request_add/") + group_text, {});
      REQUIRE(requested.status == 302);
      auto request_id = pending_request(daemon.db(), member_id, group_id);
      REQUIRE(request_id != 0);

      first_leader.get("/groupmanagement/requests/");
      second_leader.get("/groupmanagement/requests/");
      auto base = "/groupmanagement/request/" + std::to_string(request_id);
      auto statuses = post_at_once({&first_leader, &second_leader}, {base + "/accept/", base + "/reject/"});
      CHECK(statuses[0] == 302);
      CHECK(statuses[1] == 302);

      std::vector<std::string> actions;
      soci::rowset<std::string> rows = (daemon.db().prepare << "SELECT action FROM groupmanagement_request_log "
                                                               "WHERE request_id = :id",
                                        soci::use(request_id));
      for (const auto& action : rows) actions.push_back(action);
      REQUIRE(actions.size() == 1);
      bool member_after = count_where(daemon, "user_groups", member_id, group_id) == 1;
      bool accepted = actions.front() == "accept";
      CHECK(member_after == (accepted ? !member_before : member_before));
      CHECK(count_where(daemon, "groupmanagement_requests", member_id, group_id) == 0);
    }
  }
}

TEST_CASE("group races: joining a group being deleted") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    let_guests_request_groups(daemon.db());
    Browser member(daemon.base_url());
    REQUIRE(sso_flow(member, kMemberPilot).status == 302);

    // Each round a member joins an open group while an admin deletes it:
    // the join ends joined and then removed, or finds no group (404).
    for (int round = 0; round < 10; ++round) {
      CAPTURE(round);
      auto group_id = open_group(daemon.db(), "Doomed " + std::to_string(round)).id;
      member.get("/groups/");
      int status = 0;
      std::thread join([&] { status = member.post("/group/request_add/" + std::to_string(group_id), {}).status; });
      {
        std::vector<aa::SignalEvent> events;
        aa::WriteTransaction transaction(daemon.db());
        g::delete_group(daemon.db(), group_id, events);
        transaction.commit();
      }
      join.join();
      CAPTURE(status);
      CHECK((status == 302 || status == 404));
    }
    CHECK(count_rows(daemon.db(), "user_groups") == 0);
    CHECK(count_rows(daemon.db(), "groupmanagement_requests") == 0);
  }
}
