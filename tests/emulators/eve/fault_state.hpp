// Faults that tests switch on through POST /_emulator/faults. Thread-safe.
#pragma once

#include "access_token.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <mutex>
#include <string>

namespace aa::eve {

// The fault for one ESI request: a dropped connection, an error status in
// place of the response, or a delay before it.
struct EsiFault {
    bool drop_connection = false;
    unsigned status = 0;  // 0 for the normal response, else 5xx or 420
    std::chrono::milliseconds delay{0};
};

class FaultState {
public:
    // Applies a request body such as {"esi": "5xx", "status": 502, "count": 2}.
    // Returns "" on success, else an error naming the bad key or value; on
    // error nothing changes.
    std::string apply(const boost::json::object& request);

    void clear();

    // The faults in force, in the shape apply() accepts.
    boost::json::object to_json() const;

    // Decides the fault for one ESI request and uses up one counted fault.
    EsiFault next_esi_fault();

    bool sso_down() const;

    // True when the token endpoint must reject this code exchange; uses up
    // one counted rejection.
    bool take_code_rejection();

    // The defect for the next issued access token; uses it up.
    TokenDefect take_token_defect();

private:
    enum class EsiMode { normal, down, slow };

    struct Settings {
        EsiMode esi_mode = EsiMode::normal;
        std::chrono::milliseconds esi_delay{0};
        int esi_failures_left = 0;
        unsigned esi_failure_status = 502;
        int esi_error_limited_left = 0;

        bool sso_down = false;
        bool reject_codes_forever = false;
        int code_rejections_left = 0;
        TokenDefect token_defect = TokenDefect::none;
        int token_defects_left = 0;
    };

    static std::string_view esi_mode_name(EsiMode mode);

    mutable std::mutex mutex_;
    Settings settings_;
};

}  // namespace aa::eve
