// Service name formats, after Alliance Auth's name formatter. An admin sets a
// pattern per service and state, such as "[{corp_ticker}] {character_name}". A
// service builds the account name or nickname of a user from it. Field
// names, `{{`/`}}` escapes and format specs (e.g. "{character_name:.10}")
// follow Python's str.format, which upstream uses.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aa/export.hpp"
#include "aa/models.hpp"

namespace aa {

/// The values a name format may use, all as text (ids in decimal).
struct NameFields {
  std::string username;
  std::string character_id;
  std::string character_name;
  std::string corp_id;
  std::string corp_name;
  std::string corp_ticker;
  std::string alliance_id;  ///< empty without an alliance
  std::string alliance_name;
  std::string alliance_ticker;
  std::string alliance_or_corp_name;    ///< the corporation's when there is no alliance
  std::string alliance_or_corp_ticker;  ///< the corporation's when there is no alliance
};

/// The fields of a user and their main character. A user without a main
/// character has only `username` filled.
AA_SDK_API NameFields name_fields_of(const User& user);

/// The field names a format may use, in upstream's order.
AA_SDK_API const std::vector<std::string>& name_format_field_names();

/// Returns why `format` is invalid (an unknown field, an unbalanced brace, a
/// positional field, a width above 255, ...) with the part at fault, or
/// nothing when it is valid. Check a format with this before storing it.
AA_SDK_API std::optional<std::string> name_format_problem(std::string_view format);

/// The name `format` gives for `fields`, before the service's own
/// sanitizing. Throws std::invalid_argument with name_format_problem's text
/// when the format is not usable.
AA_SDK_API std::string apply_name_format(std::string_view format, const NameFields& fields);

}  // namespace aa
