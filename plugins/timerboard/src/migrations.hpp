// The timerboard's schema migrations, numbered from 1, in the order the
// plugin registers them.
#pragma once

#include <vector>

#include "aa/db.hpp"

namespace timerboard {

/// The table every query of the plugin reads and writes.
inline constexpr const char* kTimerTable = "timerboard_timers";

std::vector<aa::Migration> migrations();

}  // namespace timerboard
