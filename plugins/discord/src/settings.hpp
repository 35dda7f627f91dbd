// The Discord service's settings under plugins.discord in allianceauth.yaml,
// named after Alliance Auth's DISCORD_* settings in lower case.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "aa/discord.hpp"
#include "aa/settings.hpp"

namespace discord_service {

struct DiscordSettings {
  std::string app_id;                ///< DISCORD_APP_ID, the OAuth2 client id
  std::string app_secret;            ///< DISCORD_APP_SECRET
  std::string bot_token;             ///< DISCORD_BOT_TOKEN
  std::string callback_url;          ///< DISCORD_CALLBACK_URL, ending in /discord/callback/
  aa::discord::Snowflake guild_id = 0;  ///< DISCORD_GUILD_ID; 0 when not set
  bool sync_names = false;           ///< DISCORD_SYNC_NAMES
  bool disable_role_creation = false;  ///< DISCORD_DISABLE_ROLE_CREATION
  std::chrono::seconds guild_name_cache_max_age{86400};
  std::chrono::seconds roles_cache_max_age{3600};
  std::chrono::seconds tasks_retry_pause{60};
  int tasks_max_retries = 3;
  std::string api_base_url = "https://discord.com/api/v10";
  std::string oauth_authorize_url = "https://discord.com/api/oauth2/authorize";
  std::chrono::seconds api_timeout_connect{5};
  std::chrono::seconds api_timeout_read{30};

  /// True when the link flow can run: app id and secret, bot token,
  /// callback URL and guild id are set.
  bool complete() const;
  /// The options of the SDK client these settings describe.
  aa::discord::ClientOptions client_options() const;
};

/// Every setting with its default, for Registry::add_setting.
std::vector<aa::SettingDecl> setting_declarations();

/// Reads plugins.discord.*. Throws std::invalid_argument naming the key and
/// what to write for a value the service cannot work with.
DiscordSettings read_settings(const aa::Settings& settings);

}  // namespace discord_service
