#include "api_support.hpp"

#include "json_response.hpp"

#include <boost/json/array.hpp>

namespace aa::discord_emulator {

using aa::emulator::json_response;
using aa::emulator::Request;
using aa::emulator::Response;

Response error_response(const ApiError& error) {
    boost::json::object body{{"message", error.message}, {"code", error.code}};
    if (error.code == 50035) {
        body["message"] = "Invalid Form Body";
        boost::json::array details{boost::json::object{{"code", "BASE_TYPE_INVALID"}, {"message", error.message}}};
        body["errors"] = boost::json::object{{error.field, boost::json::object{{"_errors", std::move(details)}}}};
    }
    return json_response(error.status, body);
}

Response error_response(unsigned status, int code, const std::string& message) {
    return error_response(ApiError{status, code, message, {}});
}

Response unauthorized() { return error_response(401, 0, "401: Unauthorized"); }

Response too_many_requests(const std::string& scope, std::int64_t retry_after_ms, const HeaderList& bucket_headers) {
    bool global = scope == "global";
    auto message = scope == "shared" ? "The resource is being rate limited." : "You are being rate limited.";
    auto response = json_response(429, boost::json::object{{"message", message},
                                                           {"retry_after", static_cast<double>(retry_after_ms) / 1000.0},
                                                           {"global", global}});
    for (const auto& [name, value] : bucket_headers) {
        response.set_header(name, value);
    }
    response.set_header("Retry-After", std::to_string((retry_after_ms + 999) / 1000));
    response.set_header("X-RateLimit-Scope", scope);
    if (global) {
        response.set_header("X-RateLimit-Global", "true");
    }
    return response;
}

std::string authorization_token(const Request& request, const std::string& scheme) {
    auto header = request.header("authorization");
    auto prefix = scheme + " ";
    if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) {
        return {};
    }
    return header.substr(prefix.size());
}

std::optional<Response> check_bot_request(Emulator& emulator, Request& request, const std::string& guild_id,
                                          HeaderList& headers) {
    const auto& route = request.route_name;
    auto fault = emulator.faults.next_api_fault(route);
    if (fault.drop_connection) {
        return Response::dropped();
    }
    if (fault.status != 0) {
        return error_response(fault.status, 0, std::to_string(fault.status) + ": injected server error");
    }

    auto token = authorization_token(request, "Bot");
    if (token.empty() || token != emulator.config.bot_token) {
        return unauthorized();
    }

    auto now = emulator.clock();
    if (!fault.rate_limit_scope.empty()) {
        emulator.requests.count_injected(route);
        HeaderList bucket_headers;
        if (fault.rate_limit_scope != "global" && !emulator.limits.bucket_of(route).empty()) {
            // The bucket's headers as they stand, without counting this request.
            auto peek = emulator.limits.to_json().at("buckets").as_object().at(emulator.limits.bucket_of(route));
            bucket_headers = {
                {"X-RateLimit-Limit", std::to_string(peek.at("limit").as_int64())},
                {"X-RateLimit-Remaining", fault.rate_limit_scope == "user" ? "0" : "1"},
                {"X-RateLimit-Reset-After", seconds_text(fault.retry_after_ms)},
                {"X-RateLimit-Reset", seconds_text(now + fault.retry_after_ms)},
                {"X-RateLimit-Bucket", std::string(peek.at("hash").as_string())},
            };
        }
        return too_many_requests(fault.rate_limit_scope, fault.retry_after_ms, bucket_headers);
    }

    auto decision = emulator.limits.check(token, route, guild_id, now);
    if (!decision.allowed) {
        emulator.requests.count_rate_limited(route);
        return too_many_requests(decision.global ? "global" : "user", decision.retry_after_ms, decision.headers);
    }
    headers = decision.headers;

    if (guild_id != emulator.world.guild_id()) {
        return error_response(404, 10004, "Unknown Guild");
    }
    if (!emulator.world.bot_in_guild()) {
        return error_response(403, 50001, "Missing Access");
    }
    return std::nullopt;
}

std::optional<boost::json::object> read_json_object(const Request& request, Response& error) {
    std::string parse_error;
    auto value = aa::emulator::parse_json(request.body, parse_error);
    if (!value || !value->is_object()) {
        error = error_response(400, 50109, "The request body contains invalid JSON.");
        return std::nullopt;
    }
    return value->as_object();
}

}  // namespace aa::discord_emulator
