// EVE time: UTC, stored as Unix seconds. Parsing of what users type and the
// two text forms pages show (a short one for people, ISO 8601 for scripts).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aa/text.hpp"

namespace timerboard {

/// The current time in Unix seconds.
long long unix_now();

/// Parses "YYYY-MM-DD HH:MM" in UTC; a "T" may replace the space (as HTML
/// datetime-local inputs send it) and ":SS" may follow. Returns nothing for
/// any other text or an impossible date or time such as 2024-02-30 or 24:00.
std::optional<long long> parse_eve_time(std::string_view text);

/// "YYYY-MM-DD HH:MM", the form that parse_eve_time reads back, and ISO
/// 8601 for <time datetime> and data attributes; both from the SDK.
using aa::text::format_eve_time;
using aa::text::format_iso8601;

}  // namespace timerboard
