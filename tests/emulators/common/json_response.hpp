// JSON helpers for handlers: responses, and checked parsing of request bodies.
#pragma once

#include "http_message.hpp"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace aa::emulator {

// Serializes the value with Content-Type application/json.
Response json_response(unsigned status, const boost::json::value& body);

// Returns {"error": message}, the error shape ESI and the emulators use.
Response json_error(unsigned status, std::string_view message);

// Parses JSON text. Returns nullopt and sets error (with the parser's
// message) when the text is not valid JSON.
std::optional<boost::json::value> parse_json(std::string_view text, std::string& error);

}  // namespace aa::emulator
