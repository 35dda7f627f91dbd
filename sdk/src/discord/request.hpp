// One Discord API call through the rate limits: wait for the store, send,
// record the response's headers, wait out 429s, retry transport errors and
// 5xx. Private to the SDK.
#pragma once

#include <boost/json/value.hpp>

#include <string>

#include "aa/discord.hpp"

namespace aa::discord::detail {

struct ApiCall {
  std::string method;
  /// Path below the API base URL, e.g. "/guilds/1/members/2".
  std::string path;
  /// Method and path template, the rate-limit route, e.g. "PATCH /guilds/{guild}/members/{user}".
  std::string route;
  /// The guild id, or "" for routes outside a guild.
  std::string major;
  /// A JSON body, or empty.
  std::string json_body;
  /// A form body for the OAuth2 token endpoint, or empty.
  std::string form_body;
  /// "Bot <token>", "Bearer <token>", or empty with basic_auth.
  std::string authorization;
  std::optional<std::string> basic_auth;
};

struct ApiAnswer {
  int status = 0;
  std::string body;
};

/// Unix milliseconds of the system clock, which every process sharing a
/// store reads alike.
std::int64_t now_ms();

/// Sends the call, keeping to the limits in `store`. Returns the response for
/// any 2xx, else the Error for it.
Result<ApiAnswer> send(const ClientOptions& options, RateLimitStore& store, const ApiCall& call);

/// The Error for a non-2xx response.
Error error_from_answer(const ApiCall& call, int status, const std::string& body);

/// Parses a 2xx body; an unreadable one is ErrorKind::invalid_response.
Result<boost::json::value> parse_body(const ApiCall& call, const ApiAnswer& answer);

}  // namespace aa::discord::detail
