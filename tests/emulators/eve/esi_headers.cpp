#include "esi_headers.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <ctime>

namespace aa::eve {

std::string http_date(std::int64_t unix_seconds) {
    static constexpr const char* weekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::time_t time = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);

    // Written by hand because strftime's %a and %b follow the locale.
    char text[40];
    std::snprintf(text, sizeof text, "%s, %02d %s %04d %02d:%02d:%02d GMT", weekdays[utc.tm_wday],
                  utc.tm_mday, months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min,
                  utc.tm_sec);
    return text;
}

std::string body_etag(std::string_view body) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(body.data(), body.size(), digest, &length, EVP_sha256(), nullptr);

    std::string tag = "\"";
    for (unsigned int i = 0; i < length; ++i) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", digest[i]);
        tag += hex;
    }
    tag += '"';
    return tag;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    std::size_t start = 0;
    while (start < if_none_match.size()) {
        auto end = if_none_match.find(',', start);
        if (end == std::string_view::npos) {
            end = if_none_match.size();
        }
        auto candidate = if_none_match.substr(start, end - start);
        while (!candidate.empty() && candidate.front() == ' ') {
            candidate.remove_prefix(1);
        }
        while (!candidate.empty() && candidate.back() == ' ') {
            candidate.remove_suffix(1);
        }
        if (candidate.substr(0, 2) == "W/") {
            candidate.remove_prefix(2);
        }
        if (candidate == "*" || candidate == etag) {
            return true;
        }
        start = end + 1;
    }
    return false;
}

void apply_cache_headers(const aa::emulator::Request& request, aa::emulator::Response& response,
                         std::int64_t cache_seconds, std::int64_t last_modified, std::int64_t now) {
    if (response.status != 200) {
        return;
    }
    auto etag = body_etag(response.body);
    response.set_header("Cache-Control", "public, max-age=" + std::to_string(cache_seconds));
    response.set_header("ETag", etag);
    response.set_header("Expires", http_date(now + cache_seconds));
    response.set_header("Last-Modified", http_date(last_modified));

    if (etag_matches(request.header("if-none-match"), etag)) {
        response.status = 304;
        response.body.clear();
    }
}

std::int64_t seconds_until_daily_expiry(std::int64_t now) {
    constexpr std::int64_t day = 86400;
    constexpr std::int64_t expiry_offset = 11 * 3600 + 5 * 60;
    auto today_expiry = now - now % day + expiry_offset;
    return today_expiry > now ? today_expiry - now : today_expiry + day - now;
}

}  // namespace aa::eve
