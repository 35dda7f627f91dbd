// Discord's error bodies and the checks every bot API route shares:
// faults, the bot token, rate limits, the guild and the bot's membership.
#pragma once

#include "emulator.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace aa::discord_emulator {

// {"message": ..., "code": N}; for 50035 the "errors" tree names the field.
aa::emulator::Response error_response(const ApiError& error);
aa::emulator::Response error_response(unsigned status, int code, const std::string& message);

// 401 {"message": "401: Unauthorized", "code": 0}
aa::emulator::Response unauthorized();

// The 429 Discord sends: JSON body with retry_after in seconds, the
// Retry-After header in whole seconds rounded up, and X-RateLimit-Scope.
aa::emulator::Response too_many_requests(const std::string& scope, std::int64_t retry_after_ms,
                                         const HeaderList& bucket_headers);

// The token after "Bot " or "Bearer " in the Authorization header, or "".
std::string authorization_token(const aa::emulator::Request& request, const std::string& scheme);

// Runs the shared checks for a bot route on `guild_id` and returns the
// response to send instead of the handler's, or nullopt to go on. Rate
// limit headers for the handler's response land in `headers`.
std::optional<aa::emulator::Response> check_bot_request(Emulator& emulator, aa::emulator::Request& request,
                                                        const std::string& guild_id, HeaderList& headers);

// Parses the body as a JSON object; on failure returns the 400 to send.
std::optional<boost::json::object> read_json_object(const aa::emulator::Request& request,
                                                    aa::emulator::Response& error);

}  // namespace aa::discord_emulator
