// The Discord emulator (aa-discord-emulator) as a child process on a free
// loopback port, with helpers for its /_emulator/ control API. The routes
// and the sample guild are described in tests/emulators/README.md.
#pragma once

#include <memory>
#include <string>

#include <boost/json/value.hpp>

#include "child_process.hpp"

namespace aa::test {

/// The OAuth2 application and bot the emulator accepts by default.
inline constexpr const char* kDiscordClientId = "aa-discord-client";
inline constexpr const char* kDiscordClientSecret = "aa-discord-secret";
inline constexpr const char* kDiscordBotToken = "aa-discord-bot-token";

/// Ids of tests/data/discord/emulator_world.json.
namespace discord_sample {
inline constexpr long long guild_id = 197038439483310086;
inline constexpr long long owner_id = 73193882359173120;
inline constexpr long long bot_id = 1100000000000000010;
inline constexpr long long bot_role_id = 1100000000000000011;         ///< managed, position 3
inline constexpr long long managed_role_id = 197150972374548480;      ///< "My Managed Role", position 2
inline constexpr long long plain_role_id = 41771983423143936;         ///< "WE DEM BOYZZ!!!!!!", position 1
inline constexpr long long moderators_role_id = 1100000000000000012;  ///< above the bot, position 4
inline constexpr long long nelly_id = 80351110224678912;
inline constexpr long long kaelen_id = 1100000000000000101;
inline constexpr long long tovin_id = 1100000000000000102;
inline constexpr long long ilse_id = 1100000000000000103;
inline constexpr long long mira_id = 1100000000000000104;
}  // namespace discord_sample

class DiscordEmulatorProcess {
 public:
  /// Starts the emulator on port 0; throws std::runtime_error when it prints
  /// no LISTENING line within 10 seconds.
  DiscordEmulatorProcess();
  ~DiscordEmulatorProcess();
  DiscordEmulatorProcess(const DiscordEmulatorProcess&) = delete;
  DiscordEmulatorProcess& operator=(const DiscordEmulatorProcess&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port>", where /oauth2/authorize is.
  std::string base_url() const;
  /// The API base with the version, like https://discord.com/api/v10.
  std::string api_url() const;

  /// Sends `method` to /_emulator/<path> with a JSON body and returns the
  /// parsed answer. Throws std::runtime_error with the status and body on
  /// a non-2xx answer.
  boost::json::value control(const std::string& method, const std::string& path, const std::string& json_body = {});
  /// Restores the guild and the default limits and clears faults.
  void reset();
  void clear_requests();
  /// Requests on `route` (e.g. "modify_guild_member") since clear_requests().
  int request_count(const std::string& route);
  /// 429s the emulator's own limits sent on `route`.
  int rate_limited_count(const std::string& route);
  /// 429s injected through faults on `route`.
  int injected_count(const std::string& route);
  /// A user access token with `identify` and `guilds.join`, without the browser step.
  std::string user_token(long long user_id);
  /// The member as GET /_emulator/state lists it, or null when not a member.
  boost::json::value member(long long user_id);

 private:
  int count_in(const char* section, const std::string& route);

  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

/// One emulator for the whole test run, reset and with cleared counts on
/// every call. Not thread-safe, like doctest's test runner.
DiscordEmulatorProcess& shared_discord_emulator();

}  // namespace aa::test
