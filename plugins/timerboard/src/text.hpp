// The text checks the timerboard uses, from the SDK (aa/text.hpp), and the
// marker for message ids that scripts/i18n/extract collects.
#pragma once

#include "aa/text.hpp"

namespace timerboard {

/// Marks a message id that is stored now and translated when shown, so
/// scripts/i18n/extract collects it.
constexpr const char* gettext_noop(const char* msgid) { return msgid; }

using aa::text::fill;
using aa::text::has_control_characters;
using aa::text::shorten;
using aa::text::trim;
using aa::text::utf8_length;

}  // namespace timerboard
