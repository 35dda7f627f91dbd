#include "control_api.hpp"

#include <utility>

namespace aa::emulator {

Handler loopback_only(Handler handler) {
    return [handler = std::move(handler)](Request& request) {
        if (!is_loopback_address(request.remote_address)) {
            return json_error(403, "the control API accepts loopback clients only, not " + request.remote_address);
        }
        return handler(request);
    };
}

std::optional<boost::json::object> read_control_body(const Request& request, Response& error_response) {
    std::string error;
    auto value = parse_json(request.body, error);
    if (!value) {
        error_response = json_error(400, "body is not valid JSON: " + error);
        return std::nullopt;
    }
    if (!value->is_object()) {
        error_response = json_error(400, "body must be a JSON object");
        return std::nullopt;
    }
    return value->as_object();
}

}  // namespace aa::emulator
