// Core's periodic tasks against the EVE emulator, run by the daemon's
// embedded workers: the model update, the ownership check and the batched
// state re-check.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "harness.hpp"

using namespace aa::test;
using namespace std::chrono_literals;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;  // KarmaFleet, Goonswarm Federation
constexpr long long kOmicronCorporation = 98179071;  // Get Off My Lawn
constexpr long long kDoomheim = 1000001;

const std::string kFastTasks = "tasks:\n  poll_interval_ms: 100\n";

std::string state_of(Daemon& daemon, long long character_id) {
  std::string state;
  daemon.db() << "SELECT s.name FROM user_profiles p JOIN states s ON s.id = p.state_id "
                 "JOIN character_ownerships o ON o.user_id = p.user_id WHERE o.character_id = :id",
      soci::use(character_id), soci::into(state);
  return state;
}

void make_goonswarm_members(Daemon& daemon) {
  daemon.db() << "INSERT INTO state_member_alliances (state_id, alliance_id) "
                 "SELECT id, 1354830081 FROM states WHERE name = 'Member'";
  daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";
}

// Runs a task through `allianceauth call` and waits until the queue is empty.
void run_task(Daemon& daemon, const std::string& task) {
  auto result = daemon.cli({"call", task});
  REQUIRE_MESSAGE(result.status == 0, result.output);
  bool drained = wait_until([&] { return count_rows(daemon.db(), "task_queue") == 0; }, 15s);
  CHECK_MESSAGE(drained, daemon.log());
}

}  // namespace

TEST_CASE("core tasks: model update follows a corporation change") {
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Emulator emulator;
    Daemon daemon(backend, emulator, kFastTasks);
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
    // The login stored the affiliation; the state rules are added after it.
    make_goonswarm_members(daemon);
    run_task(daemon, "allianceauth.authentication.tasks.update_all_states");
    REQUIRE(state_of(daemon, kKarmaFleetPilot) == "Member");

    emulator.control("characters/" + std::to_string(kKarmaFleetPilot),
                     R"({"corporation_id": )" + std::to_string(kOmicronCorporation) + "}");
    run_task(daemon, "allianceauth.eveonline.tasks.run_model_update");

    CHECK(query_int(daemon.db(), "SELECT corporation_id FROM eve_characters WHERE character_id = :id",
                    kKarmaFleetPilot) == kOmicronCorporation);
    CHECK(query_int(daemon.db(), "SELECT alliance_id FROM eve_characters WHERE character_id = :id", kKarmaFleetPilot) ==
          150097440);
    // The new corporation was stored with its name.
    CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM eve_corporations WHERE corporation_id = :id",
                    kOmicronCorporation) == 1);
    // Out of Goonswarm, so out of Member.
    CHECK(state_of(daemon, kKarmaFleetPilot) == "Guest");
    CHECK(emulator.request_count("post_characters_affiliation") >= 1);
  }
}

TEST_CASE("core tasks: model update drops tokens of the biomassed") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, kFastTasks);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  REQUIRE(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", kKarmaFleetPilot) >= 1);

  emulator.control("characters/" + std::to_string(kKarmaFleetPilot),
                   R"({"corporation_id": )" + std::to_string(kDoomheim) + "}");
  run_task(daemon, "allianceauth.eveonline.tasks.run_model_update");
  CHECK(query_int(daemon.db(), "SELECT corporation_id FROM eve_characters WHERE character_id = :id",
                  kKarmaFleetPilot) == kDoomheim);
  CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", kKarmaFleetPilot) == 0);
}

TEST_CASE("core tasks: ownership check releases a sold character") {
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Emulator emulator;
    Daemon daemon(backend, emulator, kFastTasks);
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);

    // Unchanged owner: the ownership stays and the token is refreshed.
    run_task(daemon, "allianceauth.authentication.tasks.check_all_character_ownership");
    CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM character_ownerships WHERE character_id = :id",
                    kKarmaFleetPilot) == 1);
    CHECK(emulator.request_count("sso_token") >= 2);

    // Sold to another account: the character is released and its owner told.
    emulator.control("characters/" + std::to_string(kKarmaFleetPilot), R"({"owner_hash": "SoldHash0000000000000000000="})");
    run_task(daemon, "allianceauth.authentication.tasks.check_all_character_ownership");
    CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM character_ownerships WHERE character_id = :id",
                    kKarmaFleetPilot) == 0);
    CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", kKarmaFleetPilot) == 0);
    CHECK(query_int(daemon.db(),
                    "SELECT COUNT(*) FROM notifications WHERE title = 'Character ownership changed' AND id > :id",
                    0) == 1);
  }
}

TEST_CASE("core tasks: ownership check revokes nothing while the SSO is down") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, kFastTasks);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  emulator.control("characters/" + std::to_string(kKarmaFleetPilot), R"({"owner_hash": "SoldHash0000000000000000000="})");
  emulator.control("faults", R"({"sso": "down"})");

  auto result = daemon.cli({"call", "allianceauth.authentication.tasks.check_all_character_ownership"});
  REQUIRE(result.status == 0);
  // The check fails and waits for a retry, five minutes later.
  CHECK(wait_until([&] { return daemon.log().find("the SSO could not refresh token") != std::string::npos; }, 10s));
  CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM character_ownerships WHERE character_id = :id",
                  kKarmaFleetPilot) == 1);
  CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", kKarmaFleetPilot) >= 1);
  CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM task_queue WHERE attempt = :attempt", 2) == 1);
}

TEST_CASE("core tasks: call runs a task now") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, kFastTasks);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  make_goonswarm_members(daemon);
  daemon.stop();
  // With the daemon stopped nothing else runs it.
  auto result = daemon.cli({"call", "--now", "allianceauth.authentication.tasks.update_states_batch",
                            R"({"first_user_id": 0, "last_user_id": 1000000})"});
  CHECK(result.status == 0);
  CHECK(result.output.find("succeeded") != std::string::npos);
  CHECK(state_of(daemon, kKarmaFleetPilot) == "Member");
  CHECK(count_rows(daemon.db(), "task_queue") == 0);
}
