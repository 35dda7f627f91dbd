#include "aa/name_format.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/args.h>
#include <fmt/format.h>

namespace aa {
namespace {

// Widths and precisions above this are rejected because they are never useful
// in a name and would let a format allocate without bound.
constexpr unsigned kMaxSpecNumber = 255;

// Checks the placeholders by hand before fmt sees the format, because fmt
// accepts positional fields ("{}", "{0}"), which name formats reject, and
// its errors do not name the field. Fields nested in a format spec, which
// Python accepts, are not supported either.
std::optional<std::string> placeholder_problem(std::string_view format) {
  const auto& names = name_format_field_names();
  for (std::size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c == '}') {
      if (i + 1 < format.size() && format[i + 1] == '}') {
        ++i;
        continue;
      }
      return "a single '}' at position " + std::to_string(i + 1) + "; write '}}' for a literal brace";
    }
    if (c != '{') continue;
    if (i + 1 < format.size() && format[i + 1] == '{') {
      ++i;
      continue;
    }
    auto close = format.find_first_of("{}", i + 1);
    if (close != std::string_view::npos && format[close] == '{' &&
        format.substr(i + 1, close - i - 1).find(':') != std::string_view::npos) {
      return "a field inside the format spec at position " + std::to_string(close + 1) +
             " is not supported; write the width or precision as a number, e.g. {character_name:.10}";
    }
    if (close == std::string_view::npos || format[close] == '{') {
      return "the '{' at position " + std::to_string(i + 1) + " is not closed; write '{{' for a literal brace";
    }
    auto field = format.substr(i + 1, close - i - 1);
    auto name_end = field.find_first_of(":!");
    auto name = field.substr(0, name_end);
    if (name.empty()) return std::string("a field without a name, '{}'; use a name such as {character_name}");
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::string known;
      for (const auto& known_name : names) known += (known.empty() ? "" : ", ") + known_name;
      return "unknown field '" + std::string(name) + "'; the fields are " + known;
    }
    if (name_end != std::string_view::npos && field[name_end] == '!') {
      return "conversions such as '!r' are not supported in '{" + std::string(field) + "}'";
    }
    if (name_end != std::string_view::npos) {
      auto spec = field.substr(name_end + 1);
      unsigned number = 0;
      for (char s : spec) {
        if (s < '0' || s > '9') {
          number = 0;
          continue;
        }
        number = std::min(number * 10 + static_cast<unsigned>(s - '0'), kMaxSpecNumber + 1);
        if (number > kMaxSpecNumber) {
          return "the width or precision in '{" + std::string(field) + "}' is above " + std::to_string(kMaxSpecNumber);
        }
      }
    }
    i = close;
  }
  return std::nullopt;
}

std::string format_checked(std::string_view format, const NameFields& fields) {
  // Names are string literals, which the store keeps by pointer.
  fmt::dynamic_format_arg_store<fmt::format_context> args;
  args.push_back(fmt::arg("username", fields.username));
  args.push_back(fmt::arg("character_id", fields.character_id));
  args.push_back(fmt::arg("character_name", fields.character_name));
  args.push_back(fmt::arg("corp_id", fields.corp_id));
  args.push_back(fmt::arg("corp_name", fields.corp_name));
  args.push_back(fmt::arg("corp_ticker", fields.corp_ticker));
  args.push_back(fmt::arg("alliance_id", fields.alliance_id));
  args.push_back(fmt::arg("alliance_name", fields.alliance_name));
  args.push_back(fmt::arg("alliance_ticker", fields.alliance_ticker));
  args.push_back(fmt::arg("alliance_or_corp_name", fields.alliance_or_corp_name));
  args.push_back(fmt::arg("alliance_or_corp_ticker", fields.alliance_or_corp_ticker));
  return fmt::vformat(fmt::string_view(format.data(), format.size()), args);
}

}  // namespace

const std::vector<std::string>& name_format_field_names() {
  static const std::vector<std::string> names = {
      "username",      "character_id",    "character_name",        "corp_id",
      "corp_name",     "corp_ticker",     "alliance_id",           "alliance_name",
      "alliance_ticker", "alliance_or_corp_name", "alliance_or_corp_ticker"};
  return names;
}

NameFields name_fields_of(const User& user) {
  NameFields fields;
  fields.username = user.username;
  if (!user.main_character) return fields;
  const auto& main = *user.main_character;
  fields.character_id = std::to_string(main.character_id);
  fields.character_name = main.character_name;
  fields.corp_id = std::to_string(main.corporation_id);
  fields.corp_name = main.corporation_name;
  fields.corp_ticker = main.corporation_ticker;
  if (main.alliance_id) {
    fields.alliance_id = std::to_string(*main.alliance_id);
    fields.alliance_name = main.alliance_name;
    fields.alliance_ticker = main.alliance_ticker;
    fields.alliance_or_corp_name = main.alliance_name;
    fields.alliance_or_corp_ticker = main.alliance_ticker;
  } else {
    fields.alliance_or_corp_name = main.corporation_name;
    fields.alliance_or_corp_ticker = main.corporation_ticker;
  }
  return fields;
}

std::optional<std::string> name_format_problem(std::string_view format) {
  if (auto problem = placeholder_problem(format)) return problem;
  // What is left to go wrong is a spec fmt does not accept for text, such
  // as "{corp_id:d}": every field is text.
  try {
    format_checked(format, NameFields{});
  } catch (const fmt::format_error& error) {
    return std::string("the format spec is not valid for text: ") + error.what();
  }
  return std::nullopt;
}

std::string apply_name_format(std::string_view format, const NameFields& fields) {
  if (auto problem = name_format_problem(format)) throw std::invalid_argument(*problem);
  return format_checked(format, fields);
}

}  // namespace aa
