// Text checks for core code: the SDK's aa/text.hpp under core's
// aa::core::text, plus the translation function type that code which may
// run without a request (repositories, tasks) takes.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "aa/text.hpp"

namespace aa::core::text {

using aa::text::fill;
using aa::text::format_eve_time;
using aa::text::format_iso8601;
using aa::text::has_control_characters;
using aa::text::parse_id;
using aa::text::shorten;
using aa::text::trim;
using aa::text::utf8_length;

/// Translates a message id; views pass Request::translate, code without a
/// request passes `untranslated`.
using Translate = std::function<std::string(std::string_view)>;

/// Returns the message id unchanged (English).
inline std::string untranslated(std::string_view msgid) { return std::string(msgid); }

}  // namespace aa::core::text
