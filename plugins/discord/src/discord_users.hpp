// Linked Discord accounts and link-flow states in the plugin's tables.
#pragma once

#include <soci/soci.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace discord_service {

struct DiscordUser {
  long long user_id = 0;
  long long uid = 0;
  std::string username;
  std::string discriminator;
  std::optional<long long> activated;  ///< Unix seconds
};

/// The length of the username column in characters (VARCHAR(32), as upstream).
inline constexpr std::size_t kMaxStoredUsernameLength = 32;

/// Cuts `username` to kMaxStoredUsernameLength characters, never inside a
/// UTF-8 sequence. Older Discord usernames may hold non-ASCII letters, and a
/// byte cut would store broken UTF-8 that MariaDB rejects.
std::string stored_username(std::string_view username);

std::optional<DiscordUser> find_discord_user(soci::session& sql, long long user_id);
std::optional<DiscordUser> find_discord_user_by_uid(soci::session& sql, long long uid);
/// Every linked account, in user id order, in one query.
std::vector<DiscordUser> all_discord_users(soci::session& sql);
/// Inserts a new link. Returns false, and changes nothing, when the user
/// or the Discord account is linked already, so that two callbacks racing
/// for the same user or account cannot both link.
bool insert_discord_user(soci::session& sql, const DiscordUser& user);
/// Updates the username, discriminator and activation time of the user's
/// link to `user.uid`. Does nothing when that link was deleted meanwhile.
void save_discord_user(soci::session& sql, const DiscordUser& user);
/// Returns true when a row was deleted.
bool delete_discord_user(soci::session& sql, long long user_id);

/// How long a link flow may take from activate to callback.
inline constexpr std::int64_t kStateMaxAgeSeconds = 600;

/// Open link flows kept per user. Starting one more ends the oldest, and
/// among flows started in the same second (created_at is in seconds) any one.
inline constexpr std::size_t kMaxOpenFlowsPerUser = 5;

/// Stores a new random state for the user and returns it. Deletes every
/// expired state and the user's oldest states beyond kMaxOpenFlowsPerUser.
std::string create_oauth_state(soci::session& sql, long long user_id, std::int64_t now);
/// Deletes the state and returns true when it belonged to the user and is
/// younger than kStateMaxAgeSeconds. Also deletes every expired state.
bool take_oauth_state(soci::session& sql, const std::string& state, long long user_id, std::int64_t now);

}  // namespace discord_service
