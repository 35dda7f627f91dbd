// Parsing of query strings and application/x-www-form-urlencoded bodies.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace aa::emulator {

// Decoded name/value pairs. When a name repeats, the first value wins.
using FormFields = std::map<std::string, std::string>;

// Parses "a=1&b=x+y" (percent-encoding, '+' as space). Returns nullopt when
// the text is not a valid query string, for example "a=%zz".
std::optional<FormFields> parse_form_fields(std::string_view encoded);

// Percent-encodes a value for use inside a query string.
std::string encode_query_value(std::string_view value);

}  // namespace aa::emulator
