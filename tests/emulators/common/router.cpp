#include "router.hpp"

#include "json_response.hpp"

#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>

#include <map>
#include <optional>

namespace aa::emulator {

namespace {

// Returns the decoded segment, or nullopt when it contains an invalid
// percent-escape.
std::optional<std::string> decode_segment(const std::string& segment) {
    auto checked = boost::urls::make_pct_string_view(segment);
    if (!checked) {
        return std::nullopt;
    }
    return std::string(checked->decode());
}

bool is_placeholder(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

std::optional<std::map<std::string, std::string>> match_segments(
    const std::vector<std::string>& pattern, const std::vector<std::string>& path) {
    if (pattern.size() != path.size()) {
        return std::nullopt;
    }

    std::map<std::string, std::string> params;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        auto decoded = decode_segment(path[i]);
        if (!decoded) {
            return std::nullopt;
        }
        if (is_placeholder(pattern[i])) {
            params[pattern[i].substr(1, pattern[i].size() - 2)] = *decoded;
        } else if (pattern[i] != *decoded) {
            return std::nullopt;
        }
    }
    return params;
}

}  // namespace

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> segments;
    std::size_t start = 0;
    while (start <= path.size()) {
        auto end = path.find('/', start);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        if (end > start) {
            segments.emplace_back(path.substr(start, end - start));
        }
        start = end + 1;
    }
    return segments;
}

void Router::add(std::string method, std::string pattern, std::string name, Handler handler) {
    routes_.push_back(Route{std::move(method), split_path(pattern), std::move(name),
                            std::move(handler)});
}

Response Router::dispatch(Request& request) const {
    auto path_segments = split_path(request.path);
    std::string allowed_methods;

    for (const auto& route : routes_) {
        auto params = match_segments(route.segments, path_segments);
        if (!params) {
            continue;
        }
        if (route.method != request.method) {
            if (allowed_methods.find(route.method) == std::string::npos) {
                allowed_methods += allowed_methods.empty() ? route.method : ", " + route.method;
            }
            continue;
        }
        request.path_params = std::move(*params);
        request.route_name = route.name;
        return route.handler(request);
    }

    if (!allowed_methods.empty()) {
        auto response = json_error(405, "Method " + request.method + " is not allowed on " +
                                            request.path + "; allowed: " + allowed_methods);
        response.set_header("Allow", allowed_methods);
        return response;
    }
    return json_error(404, "No route for " + request.method + " " + request.path);
}

}  // namespace aa::emulator
