// Checked reads of optional members of a JSON request object, as the
// control API's fault bodies need them.
#pragma once

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace aa::emulator {

// Sets out to the integer member `key` when it is present. Returns an error
// message naming the key and the range when the member is not an integer
// from minimum to maximum, and "" otherwise (out unchanged when absent).
std::string read_int_member(const boost::json::object& object, std::string_view key, long long minimum,
                            long long maximum, long long& out);

// Sets out to the string member `key` when it is present. Returns an error
// message when the member is not a string, and "" otherwise.
std::string read_string_member(const boost::json::object& object, std::string_view key, std::string& out);

}  // namespace aa::emulator
