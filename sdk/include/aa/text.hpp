// Checks on text users type (UTF-8 validity, length in characters, control
// characters), values quoted in messages, placeholders in translated
// messages, and times in EVE time. Core and plugins validate form input
// with these, so a value is accepted or refused the same way everywhere.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aa/export.hpp"

namespace aa::text {

/// `text` without leading and trailing spaces, tabs, CR and LF.
AA_SDK_API std::string_view trim(std::string_view text);

/// The number of Unicode code points in `text`, or nothing when `text` is
/// not valid UTF-8 (overlong forms, surrogates and values above U+10FFFF
/// are invalid).
AA_SDK_API std::optional<std::size_t> utf8_length(std::string_view text);

/// True when `text` contains an ASCII control character (U+0000..U+001F or
/// U+007F). Line feed, carriage return and tab count unless
/// `allow_line_breaks` (for multi-line text).
AA_SDK_API bool has_control_characters(std::string_view text, bool allow_line_breaks = false);

/// `text` for quoting in a message: at most `max_characters` code points,
/// with "…" appended when cut. Invalid UTF-8 bytes count as one character.
AA_SDK_API std::string shorten(std::string_view text, std::size_t max_characters = 40);

/// Replaces each "{name}" in `pattern` (a translated message) with its
/// value. Placeholders that `values` does not name stay as they are; a value
/// that contains a placeholder is not filled again.
AA_SDK_API std::string fill(std::string_view pattern, const std::vector<std::pair<std::string, std::string>>& values);

/// `text` case-folded by Unicode rules (ICU through Boost.Locale), for
/// comparing names without case: "Alpha", "ALPHA" and "alpha" fold to the
/// same string. Reserved group names are matched this way. `text` must be
/// valid UTF-8.
AA_SDK_API std::string fold_case(std::string_view text);

/// Unix seconds as "YYYY-MM-DD HH:MM" in EVE time (UTC).
AA_SDK_API std::string format_eve_time(long long unix_seconds);
/// Unix seconds as ISO 8601 in UTC with an explicit zone, "2024-05-01T12:00:00Z".
AA_SDK_API std::string format_iso8601(long long unix_seconds);

/// Reads a decimal id as typed in a URL or form: 1 to 18 digits, greater
/// than zero, nothing else (no sign, no blanks).
AA_SDK_API std::optional<long long> parse_id(std::string_view text);

}  // namespace aa::text
