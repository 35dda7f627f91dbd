// ESI's caching headers (Cache-Control, ETag, Expires, Last-Modified) and
// conditional requests with If-None-Match.
#pragma once

#include "http_message.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace aa::eve {

// IMF-fixdate as HTTP uses it: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::int64_t unix_seconds);

// A strong ETag derived from the body: the quoted hex SHA-256, so the same
// body always gets the same tag.
std::string body_etag(std::string_view body);

// True when the If-None-Match value lists the tag (weak or strong) or "*".
bool etag_matches(std::string_view if_none_match, std::string_view etag);

// Adds the caching headers to a 200 response, then turns it into a 304
// without body when the request's If-None-Match matches the ETag.
void apply_cache_headers(const aa::emulator::Request& request, aa::emulator::Response& response,
                         std::int64_t cache_seconds, std::int64_t last_modified, std::int64_t now);

// Seconds from now until the next 11:05 UTC, when ESI's daily routes expire.
std::int64_t seconds_until_daily_expiry(std::int64_t now);

}  // namespace aa::eve
