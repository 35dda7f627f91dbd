#include "discord_test_support.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>

#include "auth/accounts.hpp"

namespace aa::test::discord_test {

std::string discord_yaml(const DiscordEmulatorProcess& emulator, const std::string& extra_settings) {
  return "plugins:\n"
         "  discord:\n"
         "    app_id: " + std::string(kDiscordClientId) + "\n"
         "    app_secret: " + std::string(kDiscordClientSecret) + "\n"
         "    bot_token: " + std::string(kDiscordBotToken) + "\n"
         "    callback_url: " + kCallbackUrl + "\n"
         "    guild_id: " + std::to_string(discord_sample::guild_id) + "\n"
         "    sync_names: true\n"
         "    api_base_url: " + emulator.api_url() + "\n"
         "    oauth_authorize_url: " + emulator.base_url() + "/api/oauth2/authorize\n" +
         extra_settings +
         "tasks:\n  poll_interval_ms: 100\n";
}

std::string callback_query(const std::string& location) {
  REQUIRE(location.rfind(kCallbackUrl + "?", 0) == 0);
  return location.substr(kCallbackUrl.size() + 1);
}

std::string authorized_callback(Browser& browser, long long discord_user_id) {
  auto activate = browser.get("/discord/activate/");
  REQUIRE(activate.status == 302);
  auto at_discord = browser.get(activate.location() + "&user_id=" + std::to_string(discord_user_id));
  REQUIRE(at_discord.status == 302);
  return "/discord/callback/?" + callback_query(at_discord.location());
}

void link(Browser& browser, long long discord_user_id) {
  auto callback = browser.get(authorized_callback(browser, discord_user_id));
  REQUIRE(callback.status == 302);
}

void link_and_wait_for_role(Browser& browser, DiscordEmulatorProcess& emulator, long long discord_user_id,
                            const std::string& role) {
  link(browser, discord_user_id);
  REQUIRE(wait_until([&] { return has(role_names_of(emulator, discord_user_id), role); }, std::chrono::seconds(15)));
}

void grant_discord_access(Daemon& daemon, const std::string& state) {
  grant_state_permissions(daemon.db(), state, {"discord.access_discord"});
}

void wait_for_empty_task_queue(Daemon& daemon) {
  REQUIRE(wait_until([&] { return count_rows(daemon.db(), "task_queue") == 0; }, std::chrono::seconds(30)));
}

std::vector<std::string> role_names_of(DiscordEmulatorProcess& emulator, long long discord_user_id) {
  auto state = emulator.control("GET", "state").as_object();
  auto member = emulator.member(discord_user_id);
  std::vector<std::string> names;
  if (!member.is_object()) return names;
  for (const auto& id : member.as_object().at("roles").as_array()) {
    for (const auto& role : state.at("roles").as_array()) {
      if (role.as_object().at("id") == id) names.emplace_back(role.as_object().at("name").as_string());
    }
  }
  return names;
}

bool has(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

void bump_auth(Daemon& daemon) { aa::core::bump_auth_version(daemon.db()); }

}  // namespace aa::test::discord_test
