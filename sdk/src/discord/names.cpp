#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "aa/discord.hpp"

namespace aa::discord {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Keeps the first `max_characters` code points; a continuation byte
// (10xxxxxx) never starts a character, so the cut never splits one.
std::string cut_utf8(std::string_view text, std::size_t max_characters) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool starts_character = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_character && characters++ == max_characters) return std::string(trim(text.substr(0, i)));
  }
  return std::string(text);
}

// Zero-width and other characters that render as nothing: the zero-width
// space and joiners, bidi marks, soft hyphen, the Hangul fillers, variation
// selectors and tags (Unicode's Default_Ignorable_Code_Point).
bool is_non_rendering(UChar32 c) { return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT); }

}  // namespace

std::string sanitize_nick(std::string_view nick) {
  std::string sanitized;
  std::size_t characters = 0;
  // The invisible characters since the last visible one, with each run of
  // white space as one space. They are kept only between visible characters.
  std::string gap;
  std::size_t gap_characters = 0;

  const auto* bytes = reinterpret_cast<const uint8_t*>(nick.data());
  auto length = static_cast<int32_t>(nick.size());
  for (int32_t offset = 0; offset < length;) {
    int32_t start = offset;
    UChar32 c = 0;
    U8_NEXT(bytes, offset, length, c);
    // Bytes that are not UTF-8 and control characters are dropped: JSON
    // cannot carry the first, and Discord shows neither.
    if (c < 0) continue;
    if (u_isUWhiteSpace(c)) {
      if (!sanitized.empty() && (gap.empty() || gap.back() != ' ')) {
        gap += ' ';
        ++gap_characters;
      }
      continue;
    }
    if (u_charType(c) == U_CONTROL_CHAR) continue;
    if (is_non_rendering(c)) {
      if (!sanitized.empty()) {
        gap.append(nick.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(offset - start)));
        ++gap_characters;
      }
      continue;
    }

    // A visible character that does not fit ends the nickname here, so the
    // cut never leaves invisible characters at the end.
    if (characters + gap_characters + 1 > kMaxNickLength) break;
    sanitized += gap;
    characters += gap_characters;
    gap.clear();
    gap_characters = 0;
    sanitized.append(nick.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(offset - start)));
    ++characters;
  }
  return sanitized;
}

std::string sanitize_role_name(std::string_view name) { return cut_utf8(trim(name), kMaxRoleNameLength); }

}  // namespace aa::discord
