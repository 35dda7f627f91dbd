#include "rate_limiter.hpp"

#include <boost/json/array.hpp>

#include <cstdio>
#include <iterator>

namespace aa::discord_emulator {

namespace {

// 64-bit FNV-1a of the bucket name, in hex: an opaque, stable bucket id
// like the ones Discord sends.
std::string bucket_hash(const std::string& name) {
    std::uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : name) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

}  // namespace

std::string seconds_text(std::int64_t milliseconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%lld.%03lld", static_cast<long long>(milliseconds / 1000),
                  static_cast<long long>(milliseconds % 1000));
    return text;
}

RateLimiter::RateLimiter() { reset(); }

void RateLimiter::reset() {
    // The limits Alliance Auth's Discord client recorded from Discord's
    // headers (discord_client/tests/rate_limits.md, 2020-05-07).
    auto spec = [](const std::string& name, int limit, std::int64_t window_ms) {
        return BucketSpec{bucket_hash(name), limit, window_ms};
    };
    buckets_ = {
        {"add_guild_member", spec("add_guild_member", 10, 10'000)},
        {"modify_guild_member", spec("modify_guild_member", 10, 10'000)},
        {"remove_guild_member", spec("remove_guild_member", 5, 1'000)},
        {"get_guild_member", spec("get_guild_member", 5, 1'000)},
        {"guild_member_role", spec("guild_member_role", 10, 10'000)},
        {"create_guild_role", spec("create_guild_role", 250, 180'000'000)},
    };
    route_buckets_ = {
        {"add_guild_member", "add_guild_member"},
        {"modify_guild_member", "modify_guild_member"},
        {"remove_guild_member", "remove_guild_member"},
        {"get_guild_member", "get_guild_member"},
        {"add_guild_member_role", "guild_member_role"},
        {"remove_guild_member_role", "guild_member_role"},
        {"create_guild_role", "create_guild_role"},
    };
    global_limit_ = 50;
    bucket_windows_.clear();
    global_windows_.clear();
}

std::string RateLimiter::bucket_of(const std::string& route) const {
    auto found = route_buckets_.find(route);
    return found == route_buckets_.end() ? std::string() : found->second;
}

RateDecision RateLimiter::check(const std::string& token, const std::string& route, const std::string& major,
                                std::int64_t now_ms) {
    RateDecision decision;

    auto& global = global_windows_[token];
    if (now_ms >= global.start_ms + 1000) {
        global = Window{now_ms, 0};
    }
    if (global.count >= global_limit_) {
        decision.allowed = false;
        decision.global = true;
        decision.retry_after_ms = global.start_ms + 1000 - now_ms;
        return decision;
    }

    auto bucket_name = bucket_of(route);
    if (bucket_name.empty()) {
        ++global.count;
        return decision;
    }

    const auto& spec = buckets_.at(bucket_name);
    auto& window = bucket_windows_[bucket_name + ":" + major];
    if (now_ms >= window.start_ms + spec.window_ms) {
        window = Window{now_ms, 0};
    }
    auto reset_ms = window.start_ms + spec.window_ms;
    if (window.count >= spec.limit) {
        decision.allowed = false;
        decision.retry_after_ms = reset_ms - now_ms;
    } else {
        ++window.count;
        ++global.count;
    }

    decision.headers = {
        {"X-RateLimit-Limit", std::to_string(spec.limit)},
        {"X-RateLimit-Remaining", std::to_string(spec.limit - window.count)},
        {"X-RateLimit-Reset", seconds_text(reset_ms)},
        {"X-RateLimit-Reset-After", seconds_text(reset_ms - now_ms)},
        {"X-RateLimit-Bucket", spec.hash},
    };
    return decision;
}

std::string RateLimiter::set_limit(const boost::json::object& body) {
    if (auto global = body.if_contains("global")) {
        if (!global->is_int64() || global->as_int64() < 1 || global->as_int64() > 100'000) {
            return "global must be an integer from 1 to 100000";
        }
        global_limit_ = static_cast<int>(global->as_int64());
        global_windows_.clear();
        return {};
    }

    auto bucket = body.if_contains("bucket");
    auto limit = body.if_contains("limit");
    auto window = body.if_contains("window_ms");
    if (!bucket || !bucket->is_string() || !limit || !window) {
        return "body must be {\"bucket\": NAME, \"limit\": N, \"window_ms\": N} or {\"global\": N}";
    }
    auto found = buckets_.find(std::string(bucket->as_string()));
    if (found == buckets_.end()) {
        return "unknown bucket \"" + std::string(bucket->as_string()) +
               "\"; expected add_guild_member, modify_guild_member, remove_guild_member, get_guild_member, "
               "guild_member_role or create_guild_role";
    }
    if (!limit->is_int64() || limit->as_int64() < 1 || limit->as_int64() > 100'000) {
        return "limit must be an integer from 1 to 100000";
    }
    if (!window->is_int64() || window->as_int64() < 1 || window->as_int64() > 1'000'000'000) {
        return "window_ms must be an integer from 1 to 1000000000";
    }
    found->second.limit = static_cast<int>(limit->as_int64());
    found->second.window_ms = window->as_int64();
    for (auto it = bucket_windows_.begin(); it != bucket_windows_.end();) {
        it = it->first.rfind(found->first + ":", 0) == 0 ? bucket_windows_.erase(it) : std::next(it);
    }
    return {};
}

boost::json::object RateLimiter::to_json() const {
    boost::json::object buckets;
    for (const auto& [name, spec] : buckets_) {
        boost::json::array routes;
        for (const auto& [route, bucket] : route_buckets_) {
            if (bucket == name) {
                routes.emplace_back(route);
            }
        }
        buckets[name] = boost::json::object{
            {"hash", spec.hash}, {"limit", spec.limit}, {"window_ms", spec.window_ms}, {"routes", std::move(routes)}};
    }
    return boost::json::object{{"global", global_limit_}, {"buckets", std::move(buckets)}};
}

}  // namespace aa::discord_emulator
