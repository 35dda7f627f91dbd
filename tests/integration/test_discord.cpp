// The Discord service plugin through the real daemon and the Discord
// emulator: linking an account (activate, Discord's authorize page, the
// callback), a forged callback, and unlinking.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <regex>

#include "discord_emulator_process.hpp"
#include "harness.hpp"

using namespace aa::test;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;  // Kaelen Brightwater
namespace sample = discord_sample;

// The callback URL registered with the application. The test carries the
// redirect to the daemon itself, so its port does not matter.
const std::string kCallbackUrl = "http://127.0.0.1:9/discord/callback/";

std::string discord_yaml(const DiscordEmulatorProcess& discord) {
  return "plugins:\n"
         "  discord:\n"
         "    app_id: " + std::string(kDiscordClientId) + "\n"
         "    app_secret: " + std::string(kDiscordClientSecret) + "\n"
         "    bot_token: " + std::string(kDiscordBotToken) + "\n"
         "    callback_url: " + kCallbackUrl + "\n"
         "    guild_id: " + std::to_string(sample::guild_id) + "\n"
         "    sync_names: true\n"
         "    api_base_url: " + discord.api_url() + "\n"
         "    oauth_authorize_url: " + discord.base_url() + "/api/oauth2/authorize\n";
}

void grant_discord_access(Daemon& daemon, const std::string& state) {
  daemon.db() << "INSERT INTO state_permissions (state_id, permission_id) "
                 "SELECT s.id, p.id FROM states s, permissions p WHERE s.name = :state AND p.app_label = 'discord' "
                 "AND p.codename = 'access_discord'",
      soci::use(state);
  daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";
}

// The query of the redirect to the callback URL, for the same path on the daemon.
std::string callback_query(const std::string& location) {
  REQUIRE(location.rfind(kCallbackUrl + "?", 0) == 0);
  return location.substr(kCallbackUrl.size() + 1);
}

}  // namespace

TEST_CASE("discord: a member links their account and joins the guild") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    grant_discord_access(daemon, "Guest");
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);

    auto activate = browser.get("/discord/activate/");
    REQUIRE(activate.status == 302);
    auto authorize_url = activate.location();
    CHECK(authorize_url.rfind(discord.base_url() + "/api/oauth2/authorize?", 0) == 0);
    CHECK(authorize_url.find("scope=identify%20guilds.join") != std::string::npos);
    CHECK(authorize_url.find("state=") != std::string::npos);

    // The user picks their Discord account on Discord's page.
    auto at_discord = browser.get(authorize_url + "&user_id=" + std::to_string(sample::nelly_id));
    REQUIRE(at_discord.status == 302);
    auto callback = browser.get("/discord/callback/?" + callback_query(at_discord.location()));
    CHECK(callback.status == 302);
    auto landing = browser.follow(callback);
    CHECK(landing.body.find("Your Discord account has been linked.") != std::string::npos);

    auto member = discord.member(sample::nelly_id);
    REQUIRE(member.is_object());
    CHECK(member.as_object().at("nick") == "Kaelen Brightwater");
    std::string username;
    long long uid = 0;
    daemon.db() << "SELECT uid, username FROM discord_users", soci::into(uid), soci::into(username);
    CHECK(uid == sample::nelly_id);
    CHECK(username == "Nelly");
    CHECK(count_rows(daemon.db(), "discord_oauth_states") == 0);

    // Unlinking removes the member from the guild and the link.
    browser.get("/dashboard/");
    auto deactivate = browser.post("/discord/deactivate/", {});
    CHECK(deactivate.status == 302);
    CHECK(discord.member(sample::nelly_id).is_null());
    CHECK(count_rows(daemon.db(), "discord_users") == 0);
  }
}

TEST_CASE("discord: a callback with a foreign state links nothing") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);

  auto authorize_url = browser.get("/discord/activate/").location();
  auto at_discord = browser.get(authorize_url + "&user_id=" + std::to_string(sample::nelly_id));
  auto query = callback_query(at_discord.location());
  auto forged = std::regex_replace(query, std::regex("state=[^&]*"), "state=forged");

  discord.clear_requests();
  auto callback = browser.get("/discord/callback/?" + forged);
  CHECK(callback.status == 302);
  CHECK(browser.follow(callback).body.find("The Discord link expired or was not started here.") != std::string::npos);
  CHECK(discord.request_count("oauth2_token") == 0);
  CHECK(count_rows(daemon.db(), "discord_users") == 0);
}

TEST_CASE("discord: activate needs the access permission") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  CHECK(browser.get("/discord/activate/").status == 403);
  CHECK(count_rows(daemon.db(), "discord_oauth_states") == 0);
}

TEST_CASE("discord: deactivate rejects a request without the CSRF token") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  CHECK(browser.post("/discord/deactivate/", {}, false).status == 403);
}
