// Request and response types shared by the emulators. They carry no Beast
// types, so handlers and their tests compile without the HTTP stack.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aa::emulator {

struct Request {
    std::string method;            // upper case, e.g. "GET"
    std::string target;            // as sent: path plus query
    std::string path;              // target without the query, not percent-decoded
    std::string query;             // after '?', still percent-encoded
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::string remote_address;    // peer IP address as text

    // Set by Router::dispatch for the matched route.
    std::map<std::string, std::string> path_params;
    std::string route_name;

    // Returns the header value, or "" when the header is absent.
    std::string header(std::string_view name) const;

    // Returns the first value of a query parameter, percent- and plus-decoded.
    std::optional<std::string> query_param(std::string_view name) const;
};

struct Response {
    unsigned status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    // The server waits this long before it writes the response.
    std::chrono::milliseconds delay{0};

    // The server closes the connection without writing anything.
    bool drop_connection = false;

    // Replaces any header of the same name (compared without case).
    void set_header(std::string name, std::string value);

    // Returns the header value, or "" when the header is absent.
    std::string header(std::string_view name) const;

    static Response text(unsigned status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8");
    static Response dropped();
};

// Returns the reason phrase for a status code ("Not Found"), or "" for
// codes this table does not list.
std::string_view reason_phrase(unsigned status);

// Case-insensitive ASCII comparison, as header names need.
bool iequals(std::string_view a, std::string_view b);

// True for 127.0.0.0/8, ::1 and IPv4-mapped loopback addresses.
bool is_loopback_address(std::string_view address);

}  // namespace aa::emulator
