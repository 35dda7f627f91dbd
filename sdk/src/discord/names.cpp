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

}  // namespace

std::string sanitize_nick(std::string_view nick) { return cut_utf8(trim(nick), kMaxNickLength); }

std::string sanitize_role_name(std::string_view name) { return cut_utf8(trim(name), kMaxRoleNameLength); }

}  // namespace aa::discord
