#include "settings.hpp"

#include <stdexcept>

namespace discord_service {
namespace {

using Type = aa::SettingDecl::Type;

constexpr const char* kPrefix = "plugins.discord.";

std::string key(const char* name) { return std::string(kPrefix) + name; }

std::chrono::seconds seconds_setting(const aa::Settings& settings, const char* name, long long fallback,
                                     long long minimum) {
  auto value = settings.int_or(key(name), fallback);
  if (value < minimum) {
    throw std::invalid_argument(key(name) + " is " + std::to_string(value) + "; set it to " + std::to_string(minimum) +
                                " seconds or more");
  }
  return std::chrono::seconds(value);
}

void require_http_url(const std::string& name, const std::string& value) {
  if (!value.empty() && value.rfind("https://", 0) != 0 && value.rfind("http://", 0) != 0) {
    throw std::invalid_argument(key(name.c_str()) + " is '" + value + "'; it must be an http:// or https:// URL");
  }
}

}  // namespace

bool DiscordSettings::complete() const {
  return !app_id.empty() && !app_secret.empty() && !bot_token.empty() && !callback_url.empty() && guild_id != 0;
}

aa::discord::ClientOptions DiscordSettings::client_options() const {
  aa::discord::ClientOptions options;
  options.api_base_url = api_base_url;
  options.bot_token = bot_token;
  options.connect_timeout = api_timeout_connect;
  options.request_timeout = api_timeout_connect + api_timeout_read;
  options.guild_name_cache_max_age = guild_name_cache_max_age;
  options.roles_cache_max_age = roles_cache_max_age;
  return options;
}

std::vector<aa::SettingDecl> setting_declarations() {
  return {
      {"app_id", Type::string, "", "OAuth2 client id of the Discord application (DISCORD_APP_ID)"},
      {"app_secret", Type::string, "", "OAuth2 client secret of the Discord application (DISCORD_APP_SECRET)"},
      {"bot_token", Type::string, "", "token of the application's bot (DISCORD_BOT_TOKEN)"},
      {"callback_url", Type::string, "",
       "OAuth2 redirect URL registered with the application, https://SITE/discord/callback/ (DISCORD_CALLBACK_URL)"},
      {"guild_id", Type::string, "", "id of the Discord server (DISCORD_GUILD_ID)"},
      {"sync_names", Type::boolean, "false",
       "set members' nicknames to their main character's name (DISCORD_SYNC_NAMES)"},
      {"disable_role_creation", Type::boolean, "false",
       "never create missing roles, e.g. while Discord's role creation limit is used up"},
      {"guild_name_cache_max_age", Type::integer, "86400", "seconds the server name is cached"},
      {"roles_cache_max_age", Type::integer, "3600", "seconds the server's roles are cached"},
      {"tasks_retry_pause", Type::integer, "60", "seconds before a failed Discord task is retried"},
      {"tasks_max_retries", Type::integer, "3", "retries of a failed Discord task"},
      {"api_base_url", Type::string, "https://discord.com/api/v10", "Discord's API with its version"},
      {"oauth_authorize_url", Type::string, "https://discord.com/api/oauth2/authorize",
       "Discord's OAuth2 authorization page"},
      {"api_timeout_connect", Type::integer, "5", "seconds to connect to Discord's API"},
      {"api_timeout_read", Type::integer, "30", "seconds to wait for Discord's API to respond"},
  };
}

DiscordSettings read_settings(const aa::Settings& settings) {
  DiscordSettings out;
  out.app_id = settings.string_or(key("app_id"), "");
  out.app_secret = settings.string_or(key("app_secret"), "");
  out.bot_token = settings.string_or(key("bot_token"), "");
  out.callback_url = settings.string_or(key("callback_url"), "");
  require_http_url("callback_url", out.callback_url);

  auto guild = settings.string_or(key("guild_id"), "");
  if (!guild.empty()) {
    std::size_t used = 0;
    long long id = 0;
    try {
      id = std::stoll(guild, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != guild.size() || id <= 0) {
      throw std::invalid_argument(key("guild_id") + " is '" + guild +
                                  "'; it must be the server's numeric id (Server Settings, Widget, Server ID)");
    }
    out.guild_id = id;
  }

  out.sync_names = settings.bool_or(key("sync_names"), false);
  out.disable_role_creation = settings.bool_or(key("disable_role_creation"), false);
  out.guild_name_cache_max_age = seconds_setting(settings, "guild_name_cache_max_age", 86400, 1);
  out.roles_cache_max_age = seconds_setting(settings, "roles_cache_max_age", 3600, 1);
  out.tasks_retry_pause = seconds_setting(settings, "tasks_retry_pause", 60, 0);
  out.tasks_max_retries = static_cast<int>(settings.int_or(key("tasks_max_retries"), 3));
  if (out.tasks_max_retries < 0) throw std::invalid_argument(key("tasks_max_retries") + " must be 0 or more");
  out.api_base_url = settings.string_or(key("api_base_url"), out.api_base_url);
  require_http_url("api_base_url", out.api_base_url);
  out.oauth_authorize_url = settings.string_or(key("oauth_authorize_url"), out.oauth_authorize_url);
  require_http_url("oauth_authorize_url", out.oauth_authorize_url);
  out.api_timeout_connect = seconds_setting(settings, "api_timeout_connect", 5, 1);
  out.api_timeout_read = seconds_setting(settings, "api_timeout_read", 30, 1);
  return out;
}

}  // namespace discord_service
