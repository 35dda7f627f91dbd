// Request counts per route name, with the 429s the emulator's own limits
// sent apart from the injected ones, so tests can assert that a client
// never went past a limit. Not thread-safe; the emulator serializes requests.
#pragma once

#include <boost/json/object.hpp>

#include <map>
#include <string>

namespace aa::discord_emulator {

class RequestLog {
public:
    void count_request(const std::string& route) { ++requests_[route]; }
    void count_rate_limited(const std::string& route) { ++rate_limited_[route]; }
    void count_injected(const std::string& route) { ++injected_[route]; }

    // {"total": N, "routes": {...}, "rate_limited": {...}, "injected_429": {...}}
    boost::json::object to_json() const;
    void clear();

private:
    std::map<std::string, long> requests_;
    std::map<std::string, long> rate_limited_;
    std::map<std::string, long> injected_;
};

}  // namespace aa::discord_emulator
