// The Discord link flow under misuse. Several open flows of one user must not
// leave an untracked Discord account in the guild or grow the table of open
// flows without bound. A rate limit must not block the callback page.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "discord_test_support.hpp"

using namespace aa::test;
using namespace aa::test::discord_test;
namespace sample = discord_sample;

TEST_CASE("discord: a second open flow links no second account") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    grant_discord_access(daemon, "Guest");
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);

    // Activate twice (two tabs, or a double click) before either callback,
    // then pick another Discord account in the second flow.
    auto first = authorized_callback(browser, sample::nelly_id);
    auto second = authorized_callback(browser, sample::kaelen_id);
    REQUIRE(browser.get(first).status == 302);

    discord.clear_requests();
    auto answer = browser.get(second);
    CHECK(answer.status == 302);
    CHECK(browser.follow(answer).body.find("Your Discord account is already linked.") != std::string::npos);
    CHECK(discord.request_count("add_guild_member") == 0);
    CHECK(discord.member(sample::kaelen_id).is_null());
    CHECK(discord.member(sample::nelly_id).is_object());

    long long uid = 0;
    daemon.db() << "SELECT uid FROM discord_users", soci::into(uid);
    CHECK(uid == sample::nelly_id);
    CHECK(count_rows(daemon.db(), "discord_users") == 1);
  }
}

TEST_CASE("discord: a second flow for the same account stays linked") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);

  auto first = authorized_callback(browser, sample::nelly_id);
  auto second = authorized_callback(browser, sample::nelly_id);
  REQUIRE(browser.get(first).status == 302);
  auto answer = browser.get(second);
  CHECK(answer.status == 302);
  CHECK(browser.follow(answer).body.find("Your Discord account has been linked.") != std::string::npos);
  CHECK(discord.member(sample::nelly_id).is_object());
  CHECK(count_rows(daemon.db(), "discord_users") == 1);
}

TEST_CASE("discord: repeated activate keeps five open flows") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    grant_discord_access(daemon, "Guest");
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);

    // A script that reloads activate must not grow the state table.
    std::vector<std::string> callbacks;
    for (int i = 0; i < 12; ++i) callbacks.push_back(authorized_callback(browser, sample::nelly_id));
    CHECK(count_rows(daemon.db(), "discord_oauth_states") == 5);

    // The newest flow always stays open. Which older ones ended is not
    // fixed, because the flows started within the same second.
    auto newest = browser.get(callbacks.back());
    CHECK(browser.follow(newest).body.find("Your Discord account has been linked.") != std::string::npos);
    CHECK(count_rows(daemon.db(), "discord_users") == 1);
  }
}

TEST_CASE("discord: callback does not wait out a rate limit") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  auto callback = authorized_callback(browser, sample::nelly_id);

  // A page that waited 30 seconds would hold a view thread, and would link.
  discord.control("POST", "faults",
                  R"({"rate_limit":"user","route":"add_guild_member","count":1,"retry_after_ms":30000})");
  auto answer = browser.get(callback);
  CHECK(answer.status == 302);
  CHECK(browser.follow(answer).body.find("Discord is busy right now. Please try again in a minute.") !=
        std::string::npos);
  CHECK(discord.injected_count("add_guild_member") == 1);
  CHECK(discord.member(sample::nelly_id).is_null());
  CHECK(count_rows(daemon.db(), "discord_users") == 0);
}
