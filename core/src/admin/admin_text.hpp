// Small text helpers of the admin pages: placeholders in translated
// messages, values quoted in error messages, and EVE time.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace aa::core {

/// Replaces each "{key}" in `text` with its value.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values);

/// `value` for an error message: cut to 60 characters, with "…" where cut.
std::string shown_value(const std::string& value);

/// Unix seconds as "YYYY-MM-DD HH:MM" in EVE time (UTC).
std::string format_eve_time(long long unix_seconds);

}  // namespace aa::core
