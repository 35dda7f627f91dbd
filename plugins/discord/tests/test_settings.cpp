// The Discord service's settings: defaults, and values it cannot work with.
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>

#include "settings.hpp"

namespace {

// Settings from a map of "plugins.discord.KEY" to the YAML text.
class MapSettings final : public aa::Settings {
 public:
  explicit MapSettings(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  std::optional<std::string> get_string(const std::string& key) const override {
    auto found = values_.find(key);
    if (found == values_.end()) return std::nullopt;
    return found->second;
  }
  std::optional<long long> get_int(const std::string& key) const override {
    auto text = get_string(key);
    if (!text) return std::nullopt;
    return std::stoll(*text);
  }
  std::optional<bool> get_bool(const std::string& key) const override {
    auto text = get_string(key);
    if (!text) return std::nullopt;
    return *text == "true";
  }
  std::vector<std::string> get_list(const std::string&) const override { return {}; }

 private:
  std::map<std::string, std::string> values_;
};

MapSettings one_setting(const std::string& key, const std::string& value) {
  return MapSettings(std::map<std::string, std::string>{{key, value}});
}

}  // namespace

TEST_CASE("discord settings default to upstream's values") {
  auto settings = discord_service::read_settings(MapSettings({}));
  CHECK_FALSE(settings.complete());
  CHECK(settings.guild_id == 0);
  CHECK_FALSE(settings.sync_names);
  CHECK(settings.guild_name_cache_max_age == std::chrono::seconds(86400));
  CHECK(settings.roles_cache_max_age == std::chrono::seconds(3600));
  CHECK(settings.tasks_retry_pause == std::chrono::seconds(60));
  CHECK(settings.tasks_max_retries == 3);
  CHECK(settings.api_base_url == "https://discord.com/api/v10");

  auto options = settings.client_options();
  CHECK(options.connect_timeout == std::chrono::seconds(5));
  CHECK(options.request_timeout == std::chrono::seconds(35));
}

TEST_CASE("discord settings complete with every link value") {
  auto settings = discord_service::read_settings(MapSettings({
      {"plugins.discord.app_id", "123"},
      {"plugins.discord.app_secret", "secret"},
      {"plugins.discord.bot_token", "token"},
      {"plugins.discord.callback_url", "https://auth.example.com/discord/callback/"},
      {"plugins.discord.guild_id", "197038439483310086"},
  }));
  CHECK(settings.complete());
  CHECK(settings.guild_id == 197038439483310086);
}

TEST_CASE("discord settings reject a guild id that is not a number") {
  CHECK_THROWS_WITH_AS(discord_service::read_settings(one_setting("plugins.discord.guild_id", "My Server")),
                       doctest::Contains("plugins.discord.guild_id is 'My Server'"), std::invalid_argument);
  CHECK_THROWS_AS(discord_service::read_settings(one_setting("plugins.discord.guild_id", "-5")),
                  std::invalid_argument);
}

TEST_CASE("discord settings reject a callback url without http") {
  CHECK_THROWS_WITH_AS(
      discord_service::read_settings(one_setting("plugins.discord.callback_url", "auth.example.com/discord/callback/")),
      doctest::Contains("plugins.discord.callback_url"), std::invalid_argument);
}

TEST_CASE("discord settings reject a zero cache age") {
  CHECK_THROWS_WITH_AS(discord_service::read_settings(one_setting("plugins.discord.roles_cache_max_age", "0")),
                       doctest::Contains("plugins.discord.roles_cache_max_age is 0"), std::invalid_argument);
}
