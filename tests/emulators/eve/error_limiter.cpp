#include "error_limiter.hpp"

#include <algorithm>

namespace aa::eve {

void ErrorLimiter::roll_window(std::int64_t now) {
    if (now >= window_start_ + window_seconds) {
        window_start_ = now;
        errors_ = 0;
    }
}

ErrorLimiter::State ErrorLimiter::state(std::int64_t now) {
    std::lock_guard lock(mutex_);
    roll_window(now);
    State state;
    state.remain = std::max(0, error_budget - errors_);
    state.reset = window_start_ + window_seconds - now;
    return state;
}

void ErrorLimiter::record_error(std::int64_t now) {
    std::lock_guard lock(mutex_);
    roll_window(now);
    ++errors_;
}

void ErrorLimiter::reset() {
    std::lock_guard lock(mutex_);
    window_start_ = 0;
    errors_ = 0;
}

}  // namespace aa::eve
