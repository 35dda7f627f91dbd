// Discord's rate limits as the emulator enforces them: a per-route bucket
// counted per guild (the "major parameter") in fixed windows, and a global
// limit per bot token per second. Limits follow what Alliance Auth measured
// against Discord on 2020-05-07; tests may change them through
// POST /_emulator/limits. Not thread-safe; the emulator serializes requests.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace aa::discord_emulator {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct BucketSpec {
    std::string hash;  // X-RateLimit-Bucket
    int limit = 0;
    std::int64_t window_ms = 0;
};

// The verdict on one request.
struct RateDecision {
    bool allowed = true;
    bool global = false;              // a refusal by the global limit
    std::int64_t retry_after_ms = 0;  // when refused
    HeaderList headers;               // X-RateLimit-* for the response
};

class RateLimiter {
public:
    RateLimiter();

    // The bucket name of a route, or "" for routes under the global limit only.
    std::string bucket_of(const std::string& route) const;

    // Counts the request against the global limit of `token`, then against
    // the route's bucket for `major` (the guild id), and refuses it when
    // either is used up. A refused request uses up nothing.
    RateDecision check(const std::string& token, const std::string& route, const std::string& major,
                       std::int64_t now_ms);

    // Applies {"bucket": NAME, "limit": N, "window_ms": N} or {"global": N}.
    // Returns "" on success, else an error naming the bad key or value.
    std::string set_limit(const boost::json::object& body);

    // {"global": N, "buckets": {"<name>": {"hash", "limit", "window_ms", "routes"}}}
    boost::json::object to_json() const;

    // Restores the default limits and forgets every window.
    void reset();

private:
    struct Window {
        std::int64_t start_ms = 0;
        int count = 0;
    };

    std::map<std::string, std::string> route_buckets_;  // route name -> bucket name
    std::map<std::string, BucketSpec> buckets_;
    int global_limit_ = 50;
    std::map<std::string, Window> bucket_windows_;  // "<bucket>:<major>"
    std::map<std::string, Window> global_windows_;  // per token
};

// "1470173023.123": seconds with three decimals, as Discord sends them.
std::string seconds_text(std::int64_t milliseconds);

}  // namespace aa::discord_emulator
