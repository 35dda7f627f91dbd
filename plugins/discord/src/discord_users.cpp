#include "discord_users.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

#include "migrations.hpp"

namespace discord_service {

std::string stored_username(std::string_view username) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < username.size(); ++i) {
    // A continuation byte (10xxxxxx) never starts a character.
    bool starts_character = (static_cast<unsigned char>(username[i]) & 0xC0) != 0x80;
    if (starts_character && characters++ == kMaxStoredUsernameLength) return std::string(username.substr(0, i));
  }
  return std::string(username);
}

namespace {

std::optional<DiscordUser> find_where(soci::session& sql, const std::string& column, long long value) {
  DiscordUser user;
  long long activated = 0;
  soci::indicator activated_indicator = soci::i_null;
  sql << "SELECT user_id, uid, username, discriminator, activated FROM " << kUserTable << " WHERE " << column
      << " = :value",
      soci::into(user.user_id), soci::into(user.uid), soci::into(user.username), soci::into(user.discriminator),
      soci::into(activated, activated_indicator), soci::use(value);
  if (!sql.got_data()) return std::nullopt;
  if (activated_indicator == soci::i_ok) user.activated = activated;
  return user;
}

std::string random_state() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  unsigned char bytes[24];
  randombytes_buf(bytes, sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (auto byte : bytes) {
    text.push_back(kHex[byte >> 4]);
    text.push_back(kHex[byte & 0x0f]);
  }
  return text;
}

}  // namespace

std::optional<DiscordUser> find_discord_user(soci::session& sql, long long user_id) {
  return find_where(sql, "user_id", user_id);
}

std::optional<DiscordUser> find_discord_user_by_uid(soci::session& sql, long long uid) {
  return find_where(sql, "uid", uid);
}

std::vector<DiscordUser> all_discord_users(soci::session& sql) {
  std::vector<DiscordUser> users;
  soci::rowset<soci::row> rows = (sql.prepare << "SELECT user_id, uid, username, discriminator, activated FROM "
                                              << kUserTable << " ORDER BY user_id");
  for (const auto& row : rows) {
    DiscordUser user;
    user.user_id = row.get<long long>(0);
    user.uid = row.get<long long>(1);
    user.username = row.get<std::string>(2);
    user.discriminator = row.get<std::string>(3);
    if (row.get_indicator(4) == soci::i_ok) user.activated = row.get<long long>(4);
    users.push_back(std::move(user));
  }
  return users;
}

bool insert_discord_user(soci::session& sql, const DiscordUser& user) {
  long long activated = user.activated.value_or(0);
  soci::indicator activated_indicator = user.activated ? soci::i_ok : soci::i_null;
  try {
    sql << "INSERT INTO " << kUserTable
        << " (user_id, uid, username, discriminator, activated) VALUES (:user_id, :uid, :username, :discriminator, "
           ":activated)",
        soci::use(user.user_id), soci::use(user.uid), soci::use(user.username), soci::use(user.discriminator),
        soci::use(activated, activated_indicator);
  } catch (const soci::soci_error&) {
    // The primary key (user_id) and the unique index on uid reject a second
    // link. Any other failure is not a conflict, so it goes to the caller.
    if (find_discord_user(sql, user.user_id) || find_discord_user_by_uid(sql, user.uid)) return false;
    throw;
  }
  return true;
}

void save_discord_user(soci::session& sql, const DiscordUser& user) {
  long long activated = user.activated.value_or(0);
  soci::indicator activated_indicator = user.activated ? soci::i_ok : soci::i_null;
  sql << "UPDATE " << kUserTable
      << " SET username = :username, discriminator = :discriminator, activated = :activated"
         " WHERE user_id = :user_id AND uid = :uid",
      soci::use(user.username), soci::use(user.discriminator), soci::use(activated, activated_indicator),
      soci::use(user.user_id), soci::use(user.uid);
}

bool delete_discord_user(soci::session& sql, long long user_id) {
  soci::statement statement = (sql.prepare << "DELETE FROM " << kUserTable << " WHERE user_id = :user_id",
                               soci::use(user_id));
  statement.execute(true);
  return statement.get_affected_rows() > 0;
}

std::string create_oauth_state(soci::session& sql, long long user_id, std::int64_t now) {
  // Every activate adds a row. Expired flows and all but the user's newest
  // open flows are deleted first, so repeated requests cannot grow the table.
  long long oldest = now - kStateMaxAgeSeconds;
  sql << "DELETE FROM " << kOAuthStateTable << " WHERE created_at < :oldest", soci::use(oldest);
  std::vector<std::string> open_states;
  {
    soci::rowset<std::string> rows = (sql.prepare << "SELECT state FROM " << kOAuthStateTable
                                                  << " WHERE user_id = :user_id ORDER BY created_at DESC, state",
                                      soci::use(user_id));
    for (const auto& open : rows) open_states.push_back(open);
  }
  for (std::size_t i = kMaxOpenFlowsPerUser - 1; i < open_states.size(); ++i) {
    sql << "DELETE FROM " << kOAuthStateTable << " WHERE state = :state", soci::use(open_states[i]);
  }

  auto state = random_state();
  long long created_at = now;
  sql << "INSERT INTO " << kOAuthStateTable << " (state, user_id, created_at) VALUES (:state, :user_id, :created_at)",
      soci::use(state), soci::use(user_id), soci::use(created_at);
  return state;
}

bool take_oauth_state(soci::session& sql, const std::string& state, long long user_id, std::int64_t now) {
  long long oldest = now - kStateMaxAgeSeconds;
  sql << "DELETE FROM " << kOAuthStateTable << " WHERE created_at < :oldest", soci::use(oldest);

  soci::statement statement = (sql.prepare << "DELETE FROM " << kOAuthStateTable
                                           << " WHERE state = :state AND user_id = :user_id",
                               soci::use(state), soci::use(user_id));
  statement.execute(true);
  return statement.get_affected_rows() > 0;
}

}  // namespace discord_service
