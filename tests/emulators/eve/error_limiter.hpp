// ESI's legacy error limit: at most 100 responses that are not 2xx or 3xx
// per minute, then 420 on every route until the window ends. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>

namespace aa::eve {

class ErrorLimiter {
public:
    static constexpr int error_budget = 100;
    static constexpr std::int64_t window_seconds = 60;

    struct State {
        int remain = error_budget;   // X-ESI-Error-Limit-Remain
        std::int64_t reset = 0;      // X-ESI-Error-Limit-Reset, seconds
        bool limited() const { return remain <= 0; }
    };

    State state(std::int64_t now);
    void record_error(std::int64_t now);
    void reset();

private:
    void roll_window(std::int64_t now);

    std::mutex mutex_;
    std::int64_t window_start_ = 0;
    int errors_ = 0;
};

}  // namespace aa::eve
