#include "aa/text.hpp"

#include <boost/locale/conversion.hpp>
#include <boost/locale/generator.hpp>

#include <chrono>
#include <cstdio>

namespace aa::text {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The byte length of the UTF-8 sequence that starts at `text[at]`, or 0
// when no valid sequence starts there.
std::size_t sequence_length(std::string_view text, std::size_t at) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) return 1;

  std::size_t length = 0;
  unsigned int code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;  // A continuation byte, or the lead byte of an overlong or too large form.
  }
  if (at + length > text.size()) return 0;

  for (std::size_t i = 1; i < length; ++i) {
    unsigned char next = byte(at + i);
    if ((next & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (next & 0x3F);
  }
  bool overlong = (length == 3 && code_point < 0x800) || (length == 4 && code_point < 0x10000);
  bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (overlong || surrogate || code_point > 0x10FFFF) return 0;
  return length;
}

struct CivilTime {
  std::chrono::year_month_day date;
  std::chrono::hh_mm_ss<std::chrono::seconds> time;
};

// Unix seconds as a UTC date and time of day; std::chrono rather than
// gmtime_r, so no time zone state and no locale are involved.
CivilTime to_civil(long long unix_seconds) {
  std::chrono::sys_seconds point{std::chrono::seconds{unix_seconds}};
  auto day = std::chrono::floor<std::chrono::days>(point);
  return {std::chrono::year_month_day{day}, std::chrono::hh_mm_ss<std::chrono::seconds>{point - day}};
}

// Boost.Locale folds case with ICU, so the result depends neither on the
// process locale nor on a database collation.
const std::locale& folding_locale() {
  static const std::locale locale = boost::locale::generator()("en_US.UTF-8");
  return locale;
}

}  // namespace

std::string fold_case(std::string_view text) { return boost::locale::fold_case(std::string(text), folding_locale()); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size(); ++count) {
    auto length = sequence_length(text, at);
    if (length == 0) return std::nullopt;
    at += length;
  }
  return count;
}

bool has_control_characters(std::string_view text, bool allow_line_breaks) {
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (byte < 0x20 || byte == 0x7F) return true;
  }
  return false;
}

std::string shorten(std::string_view text, std::size_t max_characters) {
  std::size_t at = 0;
  for (std::size_t count = 0; at < text.size() && count < max_characters; ++count) {
    auto length = sequence_length(text, at);
    at += length == 0 ? 1 : length;
  }
  if (at >= text.size()) return std::string(text);
  return std::string(text.substr(0, at)) + "\xE2\x80\xA6";
}

std::string fill(std::string_view pattern, const std::vector<std::pair<std::string, std::string>>& values) {
  std::string out(pattern);
  for (const auto& [name, value] : values) {
    std::string placeholder = "{" + name + "}";
    for (auto at = out.find(placeholder); at != std::string::npos; at = out.find(placeholder, at + value.size())) {
      out.replace(at, placeholder.size(), value);
    }
  }
  return out;
}

std::string format_eve_time(long long unix_seconds) {
  auto civil = to_civil(unix_seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", static_cast<int>(civil.date.year()),
                static_cast<unsigned>(civil.date.month()), static_cast<unsigned>(civil.date.day()),
                static_cast<int>(civil.time.hours().count()), static_cast<int>(civil.time.minutes().count()));
  return text;
}

std::string format_iso8601(long long unix_seconds) {
  auto civil = to_civil(unix_seconds);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(civil.date.year()),
                static_cast<unsigned>(civil.date.month()), static_cast<unsigned>(civil.date.day()),
                static_cast<int>(civil.time.hours().count()), static_cast<int>(civil.time.minutes().count()),
                static_cast<int>(civil.time.seconds().count()));
  return text;
}

std::optional<long long> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  if (id <= 0) return std::nullopt;
  return id;
}

}  // namespace aa::text
