// Discord role sync when things break: Discord unreachable for a while, and
// the daemon killed while role updates wait in the embedded task queue. In
// both cases the member gets the role once Discord is reachable again.
#include <doctest/doctest.h>

#include <chrono>

#include "discord_test_support.hpp"
#include "group_test_support.hpp"

using namespace aa::test;
using namespace aa::test::discord_test;
using namespace std::chrono_literals;
namespace sample = discord_sample;

namespace {

// Retries every second, many times, and a claim that a killed daemon left
// behind expires after five seconds. The lines continue the tasks: section
// that discord_yaml ends with.
std::string recovery_yaml(const DiscordEmulatorProcess& emulator) {
  return discord_yaml(emulator, "    tasks_retry_pause: 1\n    tasks_max_retries: 100\n") +
         "  visibility_timeout_seconds: 5\n";
}

long long retried_runs(Daemon& daemon) {
  long long runs = 0;
  daemon.db() << "SELECT COALESCE(SUM(runs), 0) FROM task_statistics WHERE task_name = 'discord.update_groups' "
                 "AND outcome = 'retried'",
      soci::into(runs);
  return runs;
}

// Links Kaelen as Nelly and waits until the link's own updates are done.
void link_member(Daemon& daemon, Browser& member, DiscordEmulatorProcess& discord) {
  grant_discord_access(daemon, "Guest");
  REQUIRE(sso_flow(member, kKarmaFleetPilot).status == 302);
  link_and_wait_for_role(member, discord, sample::nelly_id);
  wait_for_empty_task_queue(daemon);
}

// Makes the Discord API unreachable, joins the group on the pages and waits
// until the role update has failed and been put back for a retry.
void join_while_discord_is_down(Daemon& daemon, Browser& member, DiscordEmulatorProcess& discord, long long group_id) {
  discord.control("POST", "faults", R"({"api":"down"})");
  auto retried_before = retried_runs(daemon);
  REQUIRE(member.get("/groups/").status == 200);
  REQUIRE(member.post("/group/request_add/" + std::to_string(group_id), {}).status == 302);
  REQUIRE(wait_until([&] { return retried_runs(daemon) > retried_before; }, 30s));
}

}  // namespace

TEST_CASE("discord: roles arrive after Discord was unreachable") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, recovery_yaml(discord));
    auto mining = public_open_group(daemon.db(), "Mining").id;
    Browser member(daemon.base_url());
    link_member(daemon, member, discord);

    join_while_discord_is_down(daemon, member, discord, mining);
    CHECK_FALSE(has(role_names_of(discord, sample::nelly_id), "Mining"));

    discord.control("POST", "faults", R"({"api":"normal"})");
    CHECK(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Mining"); }, 30s));
    CHECK(wait_until([&] { return count_rows(daemon.db(), "task_queue") == 0; }, 30s));
    CHECK(has(role_names_of(discord, sample::nelly_id), "Guest"));
  }
}

TEST_CASE("discord: queued role updates survive a killed daemon") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, recovery_yaml(discord));
    auto mining = public_open_group(daemon.db(), "Mining").id;
    Browser member(daemon.base_url());
    link_member(daemon, member, discord);

    // The update waits for Discord when the daemon dies.
    join_while_discord_is_down(daemon, member, discord, mining);
    daemon.kill();
    long long queued = 0;
    daemon.db() << "SELECT COUNT(*) FROM task_queue WHERE task_name = 'discord.update_groups'", soci::into(queued);
    CHECK(queued == 1);

    discord.control("POST", "faults", R"({"api":"normal"})");
    CHECK_FALSE(has(role_names_of(discord, sample::nelly_id), "Mining"));
    daemon.start();
    CHECK(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Mining"); }, 30s));
    CHECK(wait_until([&] { return count_rows(daemon.db(), "task_queue") == 0; }, 30s));
  }
}
