// Checks on user-typed text (whitespace trimming, UTF-8 validity and length
// in characters, control characters) and filling values into messages.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace timerboard {

/// Marks a message id that is stored now and translated when shown, so
/// scripts/i18n/extract collects it.
constexpr const char* gettext_noop(const char* msgid) { return msgid; }

/// `text` without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view text);

/// The number of Unicode code points in `text`, or nothing when `text` is
/// not valid UTF-8 (overlong forms, surrogates and values above U+10FFFF
/// are invalid).
std::optional<std::size_t> utf8_length(std::string_view text);

/// True when `text` contains an ASCII control character (U+0000..U+001F or
/// U+007F), which includes line breaks and tabs.
bool has_control_characters(std::string_view text);

/// `text` for quoting in an error message: at most `max_characters` code
/// points, with "…" appended when cut. Must be valid UTF-8.
std::string shorten(std::string_view text, std::size_t max_characters = 40);

/// Replaces each "{name}" in `pattern` (a translated message) with its value.
/// Placeholders that `values` does not name stay as they are.
std::string format_message(std::string_view pattern, const std::vector<std::pair<std::string, std::string>>& values);

}  // namespace timerboard
