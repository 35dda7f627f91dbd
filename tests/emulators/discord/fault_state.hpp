// Faults that tests switch on through POST /_emulator/faults. Not
// thread-safe; the emulator serializes requests.
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <set>
#include <string>

namespace aa::discord_emulator {

// The fault for one API request.
struct ApiFault {
    bool drop_connection = false;
    unsigned status = 0;  // a 5xx in place of the response, or 0
    // An injected 429 when rate_limit_scope is set: "user", "shared" or "global".
    std::string rate_limit_scope;
    std::int64_t retry_after_ms = 0;
};

class FaultState {
public:
    // Applies a request body such as
    //   {"rate_limit": "user", "route": "modify_guild_member", "count": 3, "retry_after_ms": 200}
    //   {"api": "5xx", "status": 502, "count": 2}, {"api": "down"}, {"api": "normal"}
    //   {"oauth": "reject_code", "count": 1}, {"oauth": "normal"}
    //   {"reject_role_name": "Name"}
    // Returns "" on success, else an error naming the bad key or value; on
    // error nothing changes.
    std::string apply(const boost::json::object& request);

    void clear();
    boost::json::object to_json() const;

    // Decides the fault for one API request on `route` and uses up one
    // counted fault. A route-specific 429 comes before one for any route.
    ApiFault next_api_fault(const std::string& route);

    // True when the token endpoint must reject this code exchange.
    bool take_code_rejection();

    // True when creating a role named exactly `name` must fail with 50035
    // Invalid Form Body, until the faults are cleared.
    bool rejects_role_name(const std::string& name) const;

private:
    struct RateLimitFault {
        std::string scope;
        int left = 0;
        std::int64_t retry_after_ms = 1000;
    };

    bool api_down_ = false;
    int failures_left_ = 0;
    unsigned failure_status_ = 502;
    std::map<std::string, RateLimitFault> rate_limits_;  // route name, "" for any route
    bool reject_codes_forever_ = false;
    int code_rejections_left_ = 0;
    std::set<std::string> rejected_role_names_;
};

}  // namespace aa::discord_emulator
