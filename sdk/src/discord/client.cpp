#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "aa/discord.hpp"
#include "aa/http_client.hpp"
#include "discord/request.hpp"

namespace aa::discord {

using detail::ApiAnswer;
using detail::ApiCall;

namespace {

// How long the lock on creating one role lasts when its holder dies, how
// long others wait for the role at most (less when the client's
// max_rate_limit_wait is shorter), and how often they look for it.
constexpr std::chrono::seconds kRoleCreateLockTime{30};
constexpr std::chrono::milliseconds kRoleCreateMaxWait{10000};
constexpr std::chrono::milliseconds kRoleCreatePoll{200};

Error invalid_response(const ApiCall& call, const std::string& what) {
  Error error;
  error.kind = ErrorKind::invalid_response;
  error.message = call.method + " " + call.path + ": " + what;
  return error;
}

Snowflake snowflake_of(const boost::json::value& value) {
  if (value.is_int64()) return value.as_int64();
  return std::stoll(std::string(value.as_string()));
}

std::string string_or_empty(const boost::json::object& object, const char* key) {
  auto value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// The from_json functions throw on a missing or mistyped field; the
// callers turn that into ErrorKind::invalid_response.
User user_from_json(const boost::json::object& object) {
  User user;
  user.id = snowflake_of(object.at("id"));
  user.username = std::string(object.at("username").as_string());
  user.discriminator = string_or_empty(object, "discriminator");
  user.global_name = string_or_empty(object, "global_name");
  return user;
}

Role role_from_json(const boost::json::object& object) {
  Role role;
  role.id = snowflake_of(object.at("id"));
  role.name = std::string(object.at("name").as_string());
  if (auto managed = object.if_contains("managed"); managed && managed->is_bool()) role.managed = managed->as_bool();
  if (auto position = object.if_contains("position"); position && position->is_int64()) {
    role.position = static_cast<int>(position->as_int64());
  }
  return role;
}

std::vector<Role> roles_from_json(const boost::json::array& array) {
  std::vector<Role> roles;
  for (const auto& entry : array) roles.push_back(role_from_json(entry.as_object()));
  return roles;
}

GuildMember member_from_json(const boost::json::object& object) {
  GuildMember member;
  for (const auto& id : object.at("roles").as_array()) member.role_ids.push_back(snowflake_of(id));
  if (auto nick = object.if_contains("nick"); nick && nick->is_string()) member.nick = std::string(nick->as_string());
  if (auto user = object.if_contains("user"); user && user->is_object() && user->as_object().contains("id")) {
    member.user = user_from_json(user->as_object());
  }
  return member;
}

boost::json::array ids_to_json(const std::vector<Snowflake>& ids) {
  boost::json::array array;
  for (auto id : ids) array.emplace_back(std::to_string(id));
  return array;
}

// Parses the response with `convert`, mapping any parse failure to an Error.
template <class T, class Convert>
Result<T> decode(const ApiCall& call, const Result<ApiAnswer>& answer, Convert convert) {
  if (!answer) return answer.error();
  auto json = detail::parse_body(call, answer.value());
  if (!json) return json.error();
  try {
    return convert(json.value());
  } catch (const std::exception& failure) {
    return invalid_response(call, std::string("unexpected JSON: ") + failure.what());
  }
}

Status done_or_error(const Result<ApiAnswer>& answer) {
  if (!answer) return answer.error();
  return Done{};
}

}  // namespace

std::string Error::describe() const {
  std::string text = message;
  if (http_status != 0) text = std::to_string(http_status) + " " + text;
  if (code != 0) text += " (code " + std::to_string(code) + ")";
  return text;
}

struct Client::Impl {
  ClientOptions options;
  std::shared_ptr<RateLimitStore> store;

  ApiCall bot_call(std::string method, std::string path, std::string route, Snowflake guild_id) const {
    ApiCall call;
    call.method = std::move(method);
    call.path = std::move(path);
    call.route = call.method + " " + route;
    call.major = std::to_string(guild_id);
    call.authorization = "Bot " + options.bot_token;
    return call;
  }

  Result<ApiAnswer> send(const ApiCall& call) { return detail::send(options, *store, call); }
};

Client::Client(ClientOptions options, std::shared_ptr<RateLimitStore> store)
    : impl_(std::make_unique<Impl>(Impl{std::move(options), std::move(store)})) {
  if (!impl_->store) throw std::invalid_argument("aa::discord::Client needs a RateLimitStore");
}

Client::~Client() = default;

const ClientOptions& Client::options() const { return impl_->options; }

Result<OAuthTokens> Client::exchange_code(const std::string& client_id, const std::string& client_secret,
                                          const std::string& code, const std::string& redirect_uri) {
  ApiCall call;
  call.method = "POST";
  call.path = "/oauth2/token";
  call.route = "POST /oauth2/token";
  call.form_body = form_encode({{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", redirect_uri}});
  call.basic_auth = client_id + ":" + client_secret;
  return decode<OAuthTokens>(call, impl_->send(call), [](const boost::json::value& json) {
    const auto& object = json.as_object();
    OAuthTokens tokens;
    tokens.access_token = std::string(object.at("access_token").as_string());
    tokens.refresh_token = string_or_empty(object, "refresh_token");
    tokens.scope = string_or_empty(object, "scope");
    if (auto expires = object.if_contains("expires_in"); expires && expires->is_number()) {
      tokens.expires_in = std::chrono::seconds(expires->to_number<long long>());
    }
    return tokens;
  });
}

Result<User> Client::current_user(const std::string& user_access_token) {
  ApiCall call;
  call.method = "GET";
  call.path = "/users/@me";
  call.route = "GET /users/@me";
  call.authorization = "Bearer " + user_access_token;
  return decode<User>(call, impl_->send(call),
                      [](const boost::json::value& json) { return user_from_json(json.as_object()); });
}

Result<User> Client::current_bot_user() {
  ApiCall call;
  call.method = "GET";
  call.path = "/users/@me";
  call.route = "GET /users/@me";
  call.authorization = "Bot " + impl_->options.bot_token;
  return decode<User>(call, impl_->send(call),
                      [](const boost::json::value& json) { return user_from_json(json.as_object()); });
}

Result<Guild> Client::guild(Snowflake guild_id) {
  auto call = impl_->bot_call("GET", "/guilds/" + std::to_string(guild_id), "/guilds/{guild}", guild_id);
  return decode<Guild>(call, impl_->send(call), [](const boost::json::value& json) {
    const auto& object = json.as_object();
    Guild guild;
    guild.id = snowflake_of(object.at("id"));
    guild.name = std::string(object.at("name").as_string());
    if (auto roles = object.if_contains("roles"); roles && roles->is_array()) {
      guild.roles = roles_from_json(roles->as_array());
    }
    return guild;
  });
}

Result<std::string> Client::guild_name(Snowflake guild_id, bool use_cache) {
  auto key = "guild_name:" + std::to_string(guild_id);
  if (use_cache) {
    if (auto cached = impl_->store->cache_get(key, detail::now_ms())) return *cached;
  }
  auto fetched = guild(guild_id);
  if (!fetched) return fetched.error();
  impl_->store->cache_put(key, fetched.value().name, impl_->options.guild_name_cache_max_age, detail::now_ms());
  return fetched.value().name;
}

Result<std::vector<Role>> Client::guild_roles(Snowflake guild_id, bool use_cache) {
  auto key = "roles:" + std::to_string(guild_id);
  if (use_cache) {
    if (auto cached = impl_->store->cache_get(key, detail::now_ms())) {
      boost::system::error_code error;
      auto json = boost::json::parse(*cached, error);
      if (!error && json.is_array()) {
        try {
          return roles_from_json(json.as_array());
        } catch (const std::exception&) {
          // A damaged cache entry is fetched again below.
        }
      }
    }
  }

  auto call = impl_->bot_call("GET", "/guilds/" + std::to_string(guild_id) + "/roles", "/guilds/{guild}/roles", guild_id);
  auto answer = impl_->send(call);
  auto roles = decode<std::vector<Role>>(
      call, answer, [](const boost::json::value& json) { return roles_from_json(json.as_array()); });
  if (roles) impl_->store->cache_put(key, answer.value().body, impl_->options.roles_cache_max_age, detail::now_ms());
  return roles;
}

Result<Role> Client::create_guild_role(Snowflake guild_id, const std::string& name) {
  auto call = impl_->bot_call("POST", "/guilds/" + std::to_string(guild_id) + "/roles", "/guilds/{guild}/roles", guild_id);
  call.json_body = boost::json::serialize(boost::json::object{{"name", sanitize_role_name(name)}});
  auto role = decode<Role>(call, impl_->send(call),
                           [](const boost::json::value& json) { return role_from_json(json.as_object()); });
  if (role) impl_->store->cache_erase("roles:" + std::to_string(guild_id));
  return role;
}

Status Client::delete_guild_role(Snowflake guild_id, Snowflake role_id) {
  auto call = impl_->bot_call("DELETE", "/guilds/" + std::to_string(guild_id) + "/roles/" + std::to_string(role_id),
                              "/guilds/{guild}/roles/{role}", guild_id);
  auto status = done_or_error(impl_->send(call));
  if (status) impl_->store->cache_erase("roles:" + std::to_string(guild_id));
  return status;
}

Result<std::pair<Role, bool>> Client::match_or_create_role(Snowflake guild_id, const std::string& name,
                                                          bool create_missing) {
  auto wanted = sanitize_role_name(name);
  auto find = [&](const std::vector<Role>& roles) -> std::optional<Role> {
    for (const auto& role : roles) {
      if (role.name == wanted) return role;
    }
    return std::nullopt;
  };

  // A miss in the cache is checked against fresh roles before creating,
  // because Discord allows two roles of one name.
  for (bool use_cache : {true, false}) {
    auto roles = guild_roles(guild_id, use_cache);
    if (!roles) return roles.error();
    if (auto found = find(roles.value())) return std::pair<Role, bool>{*found, false};
  }

  if (!create_missing) {
    Error error;
    error.kind = ErrorKind::not_found;
    error.message = "role \"" + wanted + "\" does not exist in guild " + std::to_string(guild_id) +
                    " and role creation is disabled";
    return error;
  }

  // Two workers that miss the same role at once would both create it. The
  // store's lock lets one create it while the others wait for it to appear.
  auto lock_key = "role_create:" + std::to_string(guild_id) + ":" + wanted;
  auto max_wait = std::min(kRoleCreateMaxWait, impl_->options.max_rate_limit_wait);
  auto waited = std::chrono::milliseconds(0);
  while (!impl_->store->cache_add(lock_key, "1", kRoleCreateLockTime, detail::now_ms())) {
    if (waited >= max_wait) {
      Error error;
      error.kind = ErrorKind::rate_limited;
      error.retry_after = kRoleCreateMaxWait;
      error.message = "another client has been creating role \"" + wanted + "\" in guild " +
                      std::to_string(guild_id) + " for " + std::to_string(waited.count()) + " ms; try again later";
      return error;
    }
    std::this_thread::sleep_for(kRoleCreatePoll);
    waited += kRoleCreatePoll;
    auto roles = guild_roles(guild_id, false);
    if (!roles) return roles.error();
    if (auto found = find(roles.value())) return std::pair<Role, bool>{*found, false};
  }

  // The role may have appeared between the last look and the lock.
  auto roles = guild_roles(guild_id, false);
  if (roles) {
    if (auto found = find(roles.value())) {
      impl_->store->cache_erase(lock_key);
      return std::pair<Role, bool>{*found, false};
    }
  }
  auto created = roles ? create_guild_role(guild_id, wanted) : Result<Role>(roles.error());
  impl_->store->cache_erase(lock_key);
  if (!created) return created.error();
  return std::pair<Role, bool>{created.value(), true};
}

Result<AddMemberOutcome> Client::add_guild_member(Snowflake guild_id, Snowflake user_id,
                                                  const std::string& user_access_token,
                                                  const std::vector<Snowflake>& role_ids,
                                                  const std::optional<std::string>& nick) {
  auto call = impl_->bot_call("PUT", "/guilds/" + std::to_string(guild_id) + "/members/" + std::to_string(user_id),
                              "/guilds/{guild}/members/{user}", guild_id);
  boost::json::object body{{"access_token", user_access_token}};
  if (!role_ids.empty()) body["roles"] = ids_to_json(role_ids);
  if (auto sanitized = nick ? sanitize_nick(*nick) : std::string(); !sanitized.empty()) body["nick"] = sanitized;
  call.json_body = boost::json::serialize(body);

  auto answer = impl_->send(call);
  if (!answer) return answer.error();
  return answer.value().status == 204 ? AddMemberOutcome::already_member : AddMemberOutcome::added;
}

Result<GuildMember> Client::guild_member(Snowflake guild_id, Snowflake user_id) {
  auto call = impl_->bot_call("GET", "/guilds/" + std::to_string(guild_id) + "/members/" + std::to_string(user_id),
                              "/guilds/{guild}/members/{user}", guild_id);
  return decode<GuildMember>(call, impl_->send(call),
                             [](const boost::json::value& json) { return member_from_json(json.as_object()); });
}

Result<std::vector<Snowflake>> Client::bot_role_ids(Snowflake guild_id, bool use_cache) {
  auto key = "bot_role_ids:" + std::to_string(guild_id);
  if (use_cache) {
    if (auto cached = impl_->store->cache_get(key, detail::now_ms())) {
      boost::system::error_code error;
      auto json = boost::json::parse(*cached, error);
      if (!error && json.is_array()) {
        try {
          std::vector<Snowflake> ids;
          for (const auto& id : json.as_array()) ids.push_back(snowflake_of(id));
          return ids;
        } catch (const std::exception&) {
          // A damaged cache entry is fetched again below.
        }
      }
    }
  }

  auto bot = current_bot_user();
  if (!bot) return bot.error();
  auto member = guild_member(guild_id, bot.value().id);
  if (!member) return member.error();
  const auto& ids = member.value().role_ids;
  impl_->store->cache_put(key, boost::json::serialize(ids_to_json(ids)), impl_->options.roles_cache_max_age,
                          detail::now_ms());
  return ids;
}

Result<std::vector<GuildMember>> Client::guild_members(Snowflake guild_id, int limit, Snowflake after) {
  if (limit < 1 || limit > 1000) {
    throw std::invalid_argument("guild_members: limit " + std::to_string(limit) + " is outside Discord's 1 to 1000");
  }
  auto call = impl_->bot_call("GET",
                              "/guilds/" + std::to_string(guild_id) + "/members?limit=" + std::to_string(limit) +
                                  "&after=" + std::to_string(after),
                              "/guilds/{guild}/members", guild_id);
  return decode<std::vector<GuildMember>>(call, impl_->send(call), [](const boost::json::value& json) {
    std::vector<GuildMember> members;
    for (const auto& entry : json.as_array()) members.push_back(member_from_json(entry.as_object()));
    return members;
  });
}

Status Client::modify_guild_member(Snowflake guild_id, Snowflake user_id,
                                   const std::optional<std::vector<Snowflake>>& role_ids,
                                   const std::optional<std::string>& nick) {
  if (!role_ids && !nick) throw std::invalid_argument("modify_guild_member needs role_ids or nick");
  auto call = impl_->bot_call("PATCH", "/guilds/" + std::to_string(guild_id) + "/members/" + std::to_string(user_id),
                              "/guilds/{guild}/members/{user}", guild_id);
  boost::json::object body;
  if (role_ids) body["roles"] = ids_to_json(*role_ids);
  if (nick) body["nick"] = sanitize_nick(*nick);
  call.json_body = boost::json::serialize(body);
  // Discord documents 200 with the member; Alliance Auth saw 204. Both are success.
  return done_or_error(impl_->send(call));
}

Status Client::remove_guild_member(Snowflake guild_id, Snowflake user_id) {
  auto call = impl_->bot_call("DELETE", "/guilds/" + std::to_string(guild_id) + "/members/" + std::to_string(user_id),
                              "/guilds/{guild}/members/{user}", guild_id);
  return done_or_error(impl_->send(call));
}

Status Client::add_guild_member_role(Snowflake guild_id, Snowflake user_id, Snowflake role_id) {
  auto call = impl_->bot_call("PUT",
                              "/guilds/" + std::to_string(guild_id) + "/members/" + std::to_string(user_id) +
                                  "/roles/" + std::to_string(role_id),
                              "/guilds/{guild}/members/{user}/roles/{role}", guild_id);
  return done_or_error(impl_->send(call));
}

Status Client::remove_guild_member_role(Snowflake guild_id, Snowflake user_id, Snowflake role_id) {
  auto call = impl_->bot_call("DELETE",
                              "/guilds/" + std::to_string(guild_id) + "/members/" + std::to_string(user_id) +
                                  "/roles/" + std::to_string(role_id),
                              "/guilds/{guild}/members/{user}/roles/{role}", guild_id);
  return done_or_error(impl_->send(call));
}

}  // namespace aa::discord
