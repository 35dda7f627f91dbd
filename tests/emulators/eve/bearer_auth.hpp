// The bearer-token check of authenticated ESI routes: the emulator's own
// JWT, unexpired, carrying the route's scope.
#pragma once

#include "access_token.hpp"

#include "http_message.hpp"

#include <optional>
#include <string_view>

namespace aa::eve {

struct BearerCheck {
    std::optional<VerifiedAccessToken> token;
    aa::emulator::Response error;  // 401 or 403 to send when token is empty
};

// Reads "Authorization: Bearer <jwt>" (or the ?token= parameter that ESI
// also accepts) and checks it with verify_access_token() plus the scope.
// Returns 401 when the token is missing or invalid, 403 without the scope.
// An empty required_scope accepts any valid token.
BearerCheck require_bearer_token(const aa::emulator::Request& request, const RsaKey& key,
                                 std::int64_t now, std::string_view required_scope);

}  // namespace aa::eve
