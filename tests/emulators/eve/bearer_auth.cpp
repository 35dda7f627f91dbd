#include "bearer_auth.hpp"

#include "json_response.hpp"

#include <algorithm>

namespace aa::eve {

namespace {

std::string bearer_token_of(const aa::emulator::Request& request) {
    constexpr std::string_view scheme = "bearer ";
    auto authorization = request.header("authorization");
    if (authorization.size() > scheme.size() &&
        aa::emulator::iequals(std::string_view(authorization).substr(0, scheme.size()), scheme)) {
        return authorization.substr(scheme.size());
    }
    return request.query_param("token").value_or("");
}

aa::emulator::Response unauthorized(std::string_view message) {
    auto response = aa::emulator::json_error(401, message);
    response.set_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return response;
}

}  // namespace

BearerCheck require_bearer_token(const aa::emulator::Request& request, const RsaKey& key,
                                 std::int64_t now, std::string_view required_scope) {
    BearerCheck check;
    auto token = bearer_token_of(request);
    if (token.empty()) {
        check.error = unauthorized("authentication required: send Authorization: Bearer <access token>");
        return check;
    }

    auto verified = verify_access_token(token, key, now);
    if (!verified.token) {
        check.error = unauthorized("invalid access token: " + verified.error);
        return check;
    }

    const auto& scopes = verified.token->subject.scopes;
    if (!required_scope.empty() &&
        std::find(scopes.begin(), scopes.end(), required_scope) == scopes.end()) {
        check.error = aa::emulator::json_error(
            403, "token is not valid for scope " + std::string(required_scope));
        return check;
    }

    check.token = std::move(verified.token);
    return check;
}

}  // namespace aa::eve
