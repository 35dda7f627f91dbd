// A client for Discord's bot API (v10) that any plugin may use. It makes
// guild, role and member calls with a bot token, and the OAuth2 code exchange
// and users/@me calls with a user token. It keeps to Discord's rate limits
// from the X-RateLimit-* headers, per bucket and globally, and waits out 429
// responses by their retry_after. It shares what it learns with every client
// that uses the same RateLimitStore, in the process or across processes
// through Redis. Errors come back as values (Result) that callers can act on.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "aa/export.hpp"
#include "aa/log.hpp"

namespace aa {
class Settings;
}

namespace aa::discord {

/// A Discord id. Discord sends snowflakes as JSON strings; they fit a
/// signed 64-bit integer until the year 2084.
using Snowflake = std::int64_t;

struct User {
  Snowflake id = 0;
  std::string username;
  /// "0" for users who moved to unique usernames.
  std::string discriminator;
  /// The display name, or empty when the user has none.
  std::string global_name;
};

struct Role {
  Snowflake id = 0;
  std::string name;
  /// Managed by an integration or a bot (Nitro boosts, a bot's own role);
  /// nobody can give or take it by hand.
  bool managed = false;
  int position = 0;
};

struct Guild {
  Snowflake id = 0;
  std::string name;
  std::vector<Role> roles;
};

struct GuildMember {
  std::vector<Snowflake> role_ids;
  std::optional<std::string> nick;
  std::optional<User> user;
};

/// Tokens from the OAuth2 token endpoint.
struct OAuthTokens {
  std::string access_token;
  std::string refresh_token;
  std::chrono::seconds expires_in{0};
  std::string scope;
};

enum class ErrorKind {
  /// No HTTP response: connection refused, timeout, TLS failure.
  transport,
  /// 401: the token is wrong or revoked.
  unauthorized,
  /// 403 with code 50013: the role or member sits above the bot's highest role.
  missing_permissions,
  /// Any other 403, e.g. 50001 Missing Access, 50025 invalid OAuth2 token.
  forbidden,
  /// 404: unknown guild, member (10007), role (10011) or user.
  not_found,
  /// The wait for a rate limit is longer than ClientOptions::max_rate_limit_wait.
  rate_limited,
  /// Any other 4xx, e.g. 50035 Invalid Form Body or 30005 too many roles.
  bad_request,
  /// 5xx after the retries.
  server_error,
  /// A 2xx response whose body could not be read.
  invalid_response,
};

struct AA_SDK_API Error {
  ErrorKind kind = ErrorKind::transport;
  /// The HTTP status, 0 for transport errors and waits refused before sending.
  int http_status = 0;
  /// Discord's JSON error code (10007, 50013, ...), 0 when absent.
  int code = 0;
  /// Discord's message, or the transport error. For 50035 Invalid Form
  /// Body it ends with each field error, e.g. "Invalid Form Body; name:
  /// Must be between 1 and 100 in length.".
  std::string message;
  /// For rate_limited: how long to wait before trying again.
  std::chrono::milliseconds retry_after{0};

  /// The status, message and code in one line, e.g.
  /// "403 DELETE /guilds/1/roles/2: Missing Permissions (code 50013)".
  std::string describe() const;
};

/// A value or an Error.
template <class T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  /// The value; calling it on an error is a bug and throws std::bad_variant_access.
  T& value() { return std::get<0>(state_); }
  const T& value() const { return std::get<0>(state_); }
  const Error& error() const { return std::get<1>(state_); }
  /// True when this is an error of `kind`.
  bool is(ErrorKind kind) const { return !ok() && error().kind == kind; }

 private:
  std::variant<T, Error> state_;
};

/// A call that returns nothing on success.
struct Done {};
using Status = Result<Done>;

/// What add_guild_member did.
enum class AddMemberOutcome { added, already_member };

/// The store's response to a request for a send.
struct Permit {
  /// Zero when the request may go now, else how long to wait before asking again.
  std::chrono::milliseconds wait{0};
  /// What the request holds in the store while it is in flight. Pass it to
  /// record(), record_429() or release() once the request is over.
  std::string held;
};

/// Where rate-limit state and the guild caches live. Every method is
/// thread-safe and takes the caller's clock in Unix milliseconds.
/// Implementations: make_in_process_store(), make_redis_store().
class AA_SDK_API RateLimitStore {
 public:
  virtual ~RateLimitStore() = default;

  /// Reserves one send on `route` (method and path template) for the guild
  /// `major` under the global limit and the route's bucket. While a bucket
  /// is unknown, or its window has passed, one request at a time goes out
  /// to learn it.
  virtual Permit acquire(const std::string& route, const std::string& major, std::int64_t now_ms) = 0;
  /// Records the X-RateLimit-* headers of a response (any status but 429).
  /// An empty `bucket` means the route has only the global limit. The
  /// remaining count is lowered by the requests still in flight on the
  /// bucket, because Discord may not have counted them yet.
  virtual void record(const std::string& held, const std::string& route, const std::string& major,
                      const std::string& bucket, std::optional<int> remaining, std::chrono::milliseconds reset_after,
                      std::int64_t now_ms) = 0;
  /// Records a 429: `global` blocks every route, otherwise the route's
  /// bucket waits `retry_after`. A 429 with scope "shared" records nothing.
  virtual void record_429(const std::string& held, const std::string& route, const std::string& major,
                          const std::string& bucket, bool global, bool shared, std::chrono::milliseconds retry_after,
                          std::int64_t now_ms) = 0;
  /// Ends a request that got no response.
  virtual void release(const std::string& held) = 0;

  /// A cached value, or nothing when absent or expired.
  virtual std::optional<std::string> cache_get(const std::string& key, std::int64_t now_ms) = 0;
  virtual void cache_put(const std::string& key, const std::string& value, std::chrono::seconds max_age,
                         std::int64_t now_ms) = 0;
  virtual void cache_erase(const std::string& key) = 0;
  /// Stores `value` like cache_put, but only when `key` has no unexpired
  /// value, and returns true when it stored. Only one client of the store
  /// can store a key at a time, so a key serves as a lock that expires by itself.
  virtual bool cache_add(const std::string& key, const std::string& value, std::chrono::seconds max_age,
                         std::int64_t now_ms) = 0;
};

/// State in this process only: the embedded default.
AA_SDK_API std::shared_ptr<RateLimitStore> make_in_process_store(int global_limit_per_second = 50);

struct RedisStoreOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  /// Used instead of host and port when set.
  std::string unix_socket;
  std::string password;
  int database = 0;
  /// Every key starts with "<prefix>:discord:".
  std::string prefix = "aa";
  std::chrono::milliseconds timeout{5000};
  int global_limit_per_second = 50;
};

/// State in Redis, shared by every process that uses the same server, database
/// and prefix. While Redis cannot be reached, the store keeps the state in
/// this process and logs one warning per failure streak to `logger`. The
/// logger may be null and must outlive the store.
AA_SDK_API std::shared_ptr<RateLimitStore> make_redis_store(RedisStoreOptions options, Logger* logger = nullptr);

/// A Redis store from the instance's `redis.*` settings when `tasks.backend`
/// is "redis", else an in-process store.
AA_SDK_API std::shared_ptr<RateLimitStore> make_rate_limit_store(const Settings& settings, Logger* logger = nullptr);

struct ClientOptions {
  /// Discord's API with the version; tests point it at the emulator.
  std::string api_base_url = "https://discord.com/api/v10";
  /// Required for the bot calls; the OAuth2 calls do not need it.
  std::string bot_token;
  std::chrono::milliseconds connect_timeout{5000};
  /// Limit for a whole request, connection included.
  std::chrono::milliseconds request_timeout{30000};
  /// A rate-limit wait up to this long is slept through; a longer one
  /// returns ErrorKind::rate_limited with retry_after, so a task can retry
  /// later instead of holding a worker.
  std::chrono::milliseconds max_rate_limit_wait{60000};
  /// Further attempts after a transport error or a 5xx.
  int server_error_retries = 2;
  std::chrono::milliseconds server_error_pause{500};
  std::chrono::seconds guild_name_cache_max_age{86400};
  std::chrono::seconds roles_cache_max_age{3600};
  std::string user_agent = "DiscordBot (https://allianceauth.org, 1)";
  /// Receives a warning for each 429 and each retry; may be null, and must
  /// outlive the client.
  Logger* logger = nullptr;
};

/// Nicknames are 1 to 32 characters on Discord.
inline constexpr std::size_t kMaxNickLength = 32;
/// Role names are at most 100 characters on Discord.
inline constexpr std::size_t kMaxRoleNameLength = 100;

/// Makes `nick` a nickname Discord accepts. It drops control characters and
/// bytes that are not UTF-8, drops white space and zero-width or other
/// non-rendering characters (Default_Ignorable_Code_Point) at both ends,
/// makes each inner run of white space one space, and cuts the result to 32
/// Unicode characters. Returns an empty string when no visible character
/// remains. Discord rejects such a nickname, so send none then.
AA_SDK_API std::string sanitize_nick(std::string_view nick);
/// Trims whitespace and cuts a role name to 100 Unicode characters.
AA_SDK_API std::string sanitize_role_name(std::string_view name);

/// The Discord client. Thread-safe: one instance may serve every thread.
/// Calls block while they wait for a rate limit (up to max_rate_limit_wait).
class AA_SDK_API Client {
 public:
  Client(ClientOptions options, std::shared_ptr<RateLimitStore> store);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const;

  // --- OAuth2 (application credentials, no bot token) ---
  /// Exchanges an authorization code; `redirect_uri` must equal the one
  /// the authorize request named.
  Result<OAuthTokens> exchange_code(const std::string& client_id, const std::string& client_secret,
                                    const std::string& code, const std::string& redirect_uri);
  /// The user a user access token belongs to (GET /users/@me).
  Result<User> current_user(const std::string& user_access_token);
  /// The bot's own user (GET /users/@me with the bot token).
  Result<User> current_bot_user();

  // --- guild (bot token) ---
  Result<Guild> guild(Snowflake guild_id);
  /// The guild's name, cached for guild_name_cache_max_age.
  Result<std::string> guild_name(Snowflake guild_id, bool use_cache = true);
  /// The guild's roles, cached for roles_cache_max_age.
  Result<std::vector<Role>> guild_roles(Snowflake guild_id, bool use_cache = true);
  Result<Role> create_guild_role(Snowflake guild_id, const std::string& name);
  Status delete_guild_role(Snowflake guild_id, Snowflake role_id);
  /// The role named exactly `name` (after sanitize_role_name), creating it
  /// when missing and `create_missing` is set. The bool is true when created.
  /// Without create_missing a missing role is ErrorKind::not_found.
  Result<std::pair<Role, bool>> match_or_create_role(Snowflake guild_id, const std::string& name,
                                                     bool create_missing);

  // --- members (bot token) ---
  /// Adds the user with their `guilds.join` token. The nick goes through
  /// sanitize_nick, and the member gets none when that leaves it empty.
  Result<AddMemberOutcome> add_guild_member(Snowflake guild_id, Snowflake user_id,
                                            const std::string& user_access_token,
                                            const std::vector<Snowflake>& role_ids,
                                            const std::optional<std::string>& nick);
  /// ErrorKind::not_found when the user is not in the guild.
  Result<GuildMember> guild_member(Snowflake guild_id, Snowflake user_id);
  /// The role ids of the bot's own member in the guild (current_bot_user,
  /// then guild_member), cached for roles_cache_max_age like the roles. The
  /// highest position among them in guild_roles is the bot's highest role:
  /// Discord lets the bot give and take only roles below it.
  Result<std::vector<Snowflake>> bot_role_ids(Snowflake guild_id, bool use_cache = true);
  /// Returns one page of the guild's members: up to `limit` (1 to 1000)
  /// members whose user id is above `after`, in id order. Pass the last id
  /// of a page to get the next one. Without the application's privileged
  /// GUILD_MEMBERS intent, Discord returns ErrorKind::forbidden.
  Result<std::vector<GuildMember>> guild_members(Snowflake guild_id, int limit = 1000, Snowflake after = 0);
  /// Sets the member's roles (the whole list) and/or nick; at least one of
  /// them must be given. The nick goes through sanitize_nick.
  Status modify_guild_member(Snowflake guild_id, Snowflake user_id,
                             const std::optional<std::vector<Snowflake>>& role_ids,
                             const std::optional<std::string>& nick);
  Status remove_guild_member(Snowflake guild_id, Snowflake user_id);
  Status add_guild_member_role(Snowflake guild_id, Snowflake user_id, Snowflake role_id);
  Status remove_guild_member_role(Snowflake guild_id, Snowflake user_id, Snowflake role_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aa::discord
