// The Discord service plugin through the real daemon and the Discord
// emulator: linking an account (activate, Discord's authorize page, the
// callback), a forged callback, unlinking, the /services/ row, losing access,
// and nicknames from name formats.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <chrono>
#include <functional>
#include <regex>
#include <thread>

#include "discord_test_support.hpp"

using namespace aa::test;
using namespace aa::test::discord_test;
namespace sample = discord_sample;

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

  auto callback_path = authorized_callback(browser, sample::nelly_id);
  auto forged = std::regex_replace(callback_path, std::regex("state=[^&]*"), "state=forged");

  discord.clear_requests();
  auto callback = browser.get(forged);
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

TEST_CASE("discord: linking gives the state role and keeps managed roles") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  // Nelly is on the server already, with a managed role and one Auth does not know.
  discord.control("POST", "members",
                  R"({"user_id":")" + std::to_string(sample::nelly_id) + R"(","roles":[")" +
                      std::to_string(sample::managed_role_id) + R"(",")" + std::to_string(sample::plain_role_id) +
                      R"("]})");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  link(browser, sample::nelly_id);

  CHECK(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Guest"); }, std::chrono::seconds(15)));
  auto names = role_names_of(discord, sample::nelly_id);
  CHECK(has(names, "My Managed Role"));
  CHECK_FALSE(has(names, "WE DEM BOYZZ!!!!!!"));
  CHECK(discord.rate_limited_count("modify_guild_member") == 0);

  // A role removed by hand comes back with the bulk task.
  discord.control("POST", "members",
                  R"({"user_id":")" + std::to_string(sample::nelly_id) + R"(","roles":[")" +
                      std::to_string(sample::managed_role_id) + R"("]})");
  auto called = daemon.cli({"call", "discord.update_all_groups"});
  INFO(called.output);
  REQUIRE(called.status == 0);
  CHECK(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Guest"); }, std::chrono::seconds(15)));
  CHECK(has(role_names_of(discord, sample::nelly_id), "My Managed Role"));
}

TEST_CASE("discord: a member who left the guild loses the link on sync") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  link_and_wait_for_role(browser, discord, sample::nelly_id);

  discord.control("DELETE", "members/" + std::to_string(sample::nelly_id));
  REQUIRE(daemon.cli({"call", "discord.update_all_usernames"}).status == 0);
  CHECK(wait_until([&] { return count_rows(daemon.db(), "discord_users") == 0; }, std::chrono::seconds(15)));
}

TEST_CASE("discord: a superuser links the server for the bot") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  CHECK(browser.get("/discord/add_bot/").status == 403);

  daemon.db() << "UPDATE users SET is_superuser = 1";
  bump_auth(daemon);
  auto add_bot = browser.get("/discord/add_bot/");
  REQUIRE(add_bot.status == 302);
  auto authorize_url = add_bot.location();
  CHECK(authorize_url.find("scope=bot") != std::string::npos);
  CHECK(authorize_url.find("permissions=402653187") != std::string::npos);
  CHECK(authorize_url.find("guild_id=" + std::to_string(sample::guild_id)) != std::string::npos);

  // The bot was kicked; authorizing on Discord's page puts it back.
  discord.control("DELETE", "members/" + std::to_string(sample::bot_id));
  auto at_discord = browser.get(authorize_url + "&user_id=" + std::to_string(sample::owner_id));
  CHECK(at_discord.status == 200);
  CHECK(discord.member(sample::bot_id).is_object());
}

TEST_CASE("discord: a linked member cannot start a second link") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  link(browser, sample::nelly_id);

  auto again = browser.get("/discord/activate/");
  REQUIRE(again.status == 302);
  CHECK(again.location().find(discord.base_url()) == std::string::npos);
  CHECK(browser.follow(again).body.find("Your Discord account is already linked.") != std::string::npos);
  CHECK(count_rows(daemon.db(), "discord_users") == 1);
}

TEST_CASE("discord: services row shows the linked account") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  CHECK(browser.get("/services/").body.find("aa-service-discord") == std::string::npos);

  grant_discord_access(daemon, "Guest");
  auto page = browser.get("/services/");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("id=\"aa-service-discord\"") != std::string::npos);
  CHECK(page.body.find("href=\"/discord/activate/\"") != std::string::npos);
  CHECK(page.body.find("Not active") != std::string::npos);
  CHECK(page.body.find("action=\"/discord/deactivate/\"") == std::string::npos);
  CHECK(page.body.find("href=\"/discord/add_bot/\"") == std::string::npos);

  link(browser, sample::nelly_id);
  page = browser.get("/services/");
  CHECK(page.body.find("<td>Nelly</td>") != std::string::npos);
  CHECK(page.body.find("action=\"/discord/deactivate/\"") != std::string::npos);
  CHECK(page.body.find("href=\"/discord/activate/\"") == std::string::npos);
  CHECK(page.body.find("https://discord.com/channels/@me") != std::string::npos);
}

TEST_CASE("discord: revoked state access empties the guild") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    grant_discord_access(daemon, "Guest");
    Browser kaelen(daemon.base_url());
    REQUIRE(sso_flow(kaelen, kKarmaFleetPilot).status == 302);
    link(kaelen, sample::nelly_id);
    Browser mira(daemon.base_url());
    REQUIRE(sso_flow(mira, kMiraPilot).status == 302);
    link(mira, sample::mira_id);
    REQUIRE(count_rows(daemon.db(), "discord_users") == 2);
    REQUIRE(discord.member(sample::nelly_id).is_object());
    REQUIRE(discord.member(sample::mira_id).is_object());

    REQUIRE(daemon.cli({"revoke", "discord.access_discord", "--state", "Guest"}).status == 0);
    REQUIRE(daemon.cli({"call", "allianceauth.services.tasks.validate_all_users"}).status == 0);
    CHECK(wait_until([&] { return count_rows(daemon.db(), "discord_users") == 0; }, std::chrono::seconds(20)));
    CHECK(discord.member(sample::nelly_id).is_null());
    CHECK(discord.member(sample::mira_id).is_null());
    long long notified = 0;
    daemon.db() << "SELECT COUNT(*) FROM notifications WHERE title = 'Discord Account Disabled' "
                   "AND message LIKE 'Your Discord account was disabled automatically by Auth.%'",
        soci::into(notified);
    CHECK(notified == 2);
  }
}

TEST_CASE("discord: nickname follows the name format") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  daemon.db() << "INSERT INTO service_name_formats (service_name, format) "
                 "VALUES ('discord', '[{corp_ticker}] {character_name} @ {alliance_or_corp_name}')";
  daemon.db() << "INSERT INTO service_name_format_states (name_format_id, service_name, state_id) "
                 "SELECT f.id, 'discord', s.id FROM service_name_formats f, states s WHERE s.name = 'Guest'";
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  link(browser, sample::nelly_id);

  std::string ticker;
  std::string alliance;
  daemon.db() << "SELECT corporation_ticker, alliance_name FROM eve_characters WHERE character_id = :id",
      soci::use(kKarmaFleetPilot), soci::into(ticker), soci::into(alliance);
  REQUIRE(!ticker.empty());
  REQUIRE(!alliance.empty());
  // Discord allows 32 characters; the format gives more, so it is cut.
  auto full = "[" + ticker + "] Kaelen Brightwater @ " + alliance;
  REQUIRE(full.size() > 32);
  auto member = discord.member(sample::nelly_id);
  REQUIRE(member.is_object());
  CHECK(member.as_object().at("nick") == boost::json::value(full.substr(0, 32)));

  // A changed format reaches Discord with the next nickname sync.
  daemon.db() << "UPDATE service_name_formats SET format = '{corp_ticker}/{character_name}'";
  long long user_id = 0;
  daemon.db() << "SELECT user_id FROM discord_users", soci::into(user_id);
  auto args = "{\"user_id\": " + std::to_string(user_id) + "}";
  REQUIRE(daemon.cli({"call", "discord.update_nickname", args}).status == 0);
  boost::json::value expected(ticker + "/Kaelen Brightwater");
  CHECK(wait_until([&] { return discord.member(sample::nelly_id).as_object().at("nick") == expected; },
                   std::chrono::seconds(15)));
}

TEST_CASE("discord: invisible nickname falls back to character name") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  // A zero-width space around a no-break space: valid as a format, but the
  // nickname it gives renders as nothing, which Discord rejects.
  const std::string invisible_format = "\xE2\x80\x8B\xC2\xA0\xE2\x80\x8B";
  daemon.db() << "INSERT INTO service_name_formats (service_name, format) VALUES ('discord', :format)",
      soci::use(invisible_format);
  daemon.db() << "INSERT INTO service_name_format_states (name_format_id, service_name, state_id) "
                 "SELECT f.id, 'discord', s.id FROM service_name_formats f, states s WHERE s.name = 'Guest'";
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  link(browser, sample::nelly_id);

  auto member = discord.member(sample::nelly_id);
  REQUIRE(member.is_object());
  CHECK(member.as_object().at("nick") == "Kaelen Brightwater");
  CHECK(count_rows(daemon.db(), "discord_users") == 1);
  CHECK(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Guest"); }, std::chrono::seconds(15)));
  CHECK(contains(read_file(daemon.dir() / "log" / "extensions.log"), "a nickname with no visible character"));

  // The nickname sync sets the character name again, not the format's.
  discord.control("POST", "members",
                  R"({"user_id":")" + std::to_string(sample::nelly_id) + R"(","roles":[],"nick":"someone else"})");
  long long user_id = 0;
  daemon.db() << "SELECT user_id FROM discord_users", soci::into(user_id);
  auto args = "{\"user_id\": " + std::to_string(user_id) + "}";
  REQUIRE(daemon.cli({"call", "discord.update_nickname", args}).status == 0);
  CHECK(wait_until([&] { return discord.member(sample::nelly_id).as_object().at("nick") == "Kaelen Brightwater"; },
                   std::chrono::seconds(15)));
}

TEST_CASE("discord: user admin actions update roles and nickname") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  Daemon daemon("sqlite3", emulator, discord_yaml(discord));
  grant_discord_access(daemon, "Guest");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  link_and_wait_for_role(browser, discord, sample::nelly_id);
  long long user_id = 0;
  daemon.db() << "SELECT user_id FROM discord_users", soci::into(user_id);
  daemon.db() << "UPDATE users SET is_staff = 1, is_superuser = 1";
  bump_auth(daemon);

  // Someone on Discord took the role and changed the nickname.
  discord.control("POST", "members",
                  R"({"user_id":")" + std::to_string(sample::nelly_id) + R"(","roles":[],"nick":"someone else"})");
  REQUIRE_FALSE(has(role_names_of(discord, sample::nelly_id), "Guest"));

  auto list = browser.get("/admin/auth/user/");
  REQUIRE(list.status == 200);
  CHECK(list.body.find("value=\"update_discord_groups\"") != std::string::npos);
  CHECK(list.body.find("Update Discord groups") != std::string::npos);
  CHECK(list.body.find("value=\"sync_discord_nickname\"") != std::string::npos);
  auto ran = browser.post("/admin/auth/user/",
                          {{"action", "update_discord_groups"}, {"_selected_action", std::to_string(user_id)}});
  CHECK(ran.status == 302);
  CHECK(browser.follow(ran).body.find("Queued the Discord group update of 1 user(s).") != std::string::npos);
  CHECK(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Guest"); }, std::chrono::seconds(15)));

  browser.get("/admin/auth/user/");
  ran = browser.post("/admin/auth/user/",
                     {{"action", "sync_discord_nickname"}, {"_selected_action", std::to_string(user_id)}});
  CHECK(ran.status == 302);
  CHECK(wait_until([&] { return discord.member(sample::nelly_id).as_object().at("nick") == "Kaelen Brightwater"; },
                   std::chrono::seconds(15)));
}
