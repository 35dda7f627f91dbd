// Requests built as the HTTP server builds them, for tests that call an
// emulator's router in-process without a socket.
#pragma once

#include "http_message.hpp"

#include <boost/json/value.hpp>

#include <map>
#include <string>

namespace aa::emulator {

// Builds a request as HttpServer does: the target split into path and
// query, and the header names in lower case.
Request make_request(const std::string& method, const std::string& target, const std::string& body,
                     const std::map<std::string, std::string>& headers, const std::string& remote_address);

// Parses the response body as JSON. Throws boost::system::system_error
// when the body is not valid JSON.
boost::json::value parse_body(const Response& response);

}  // namespace aa::emulator
