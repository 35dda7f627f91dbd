#include "discord_test_support.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <algorithm>

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

void link(Browser& browser, long long discord_user_id) {
  auto authorize_url = browser.get("/discord/activate/").location();
  auto at_discord = browser.get(authorize_url + "&user_id=" + std::to_string(discord_user_id));
  REQUIRE(at_discord.status == 302);
  auto callback = browser.get("/discord/callback/?" + callback_query(at_discord.location()));
  REQUIRE(callback.status == 302);
}

void grant_discord_access(Daemon& daemon, const std::string& state) {
  daemon.db() << "INSERT INTO state_permissions (state_id, permission_id) "
                 "SELECT s.id, p.id FROM states s, permissions p WHERE s.name = :state AND p.app_label = 'discord' "
                 "AND p.codename = 'access_discord'",
      soci::use(state);
  bump_auth(daemon);
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

long long user_of(Daemon& daemon, long long character_id) {
  long long user_id = 0;
  daemon.db() << "SELECT user_id FROM character_ownerships WHERE character_id = :id", soci::use(character_id),
      soci::into(user_id);
  REQUIRE(user_id != 0);
  return user_id;
}

void bump_auth(Daemon& daemon) { daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'"; }

}  // namespace aa::test::discord_test
