// EVE time: UTC, stored as Unix seconds. Parsing of what users type and the
// two text forms pages show (a short one for people, ISO 8601 for scripts).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace timerboard {

/// The current time in Unix seconds.
long long unix_now();

/// Parses "YYYY-MM-DD HH:MM" in UTC; a "T" may replace the space (as HTML
/// datetime-local inputs send it) and ":SS" may follow. Returns nothing for
/// any other text or an impossible date or time such as 2024-02-30 or 24:00.
std::optional<long long> parse_eve_time(std::string_view text);

/// "YYYY-MM-DD HH:MM", the form that parse_eve_time reads back.
std::string format_eve_time(long long unix_seconds);

/// ISO 8601 in UTC with an explicit zone, "YYYY-MM-DDTHH:MM:SSZ", for
/// <time datetime> and data attributes.
std::string format_iso8601(long long unix_seconds);

}  // namespace timerboard
