// Route table: method plus path pattern to handler, with "{name}" segments
// captured into Request::path_params. A trailing slash is optional on both
// sides, so "/status/" and "/status" match the same route.
#pragma once

#include "http_message.hpp"

#include <functional>
#include <string>
#include <vector>

namespace aa::emulator {

using Handler = std::function<Response(Request&)>;

class Router {
public:
    // Adds a route. The name identifies it in Request::route_name, for
    // example for request counting, and several patterns may share one name.
    void add(std::string method, std::string pattern, std::string name, Handler handler);

    // Runs the handler of the first matching route. Returns a JSON 404 when
    // no pattern matches the path and a JSON 405 with an Allow header when
    // patterns match but none for this method.
    Response dispatch(Request& request) const;

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;
        std::string name;
        Handler handler;
    };

    std::vector<Route> routes_;
};

// Splits "/a/b/" into {"a", "b"}, dropping empty segments.
std::vector<std::string> split_path(std::string_view path);

}  // namespace aa::emulator
