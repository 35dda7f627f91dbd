// EVE SSO v2 access tokens: RS256 JWTs with EVE's claim layout, and their
// verification for the emulator's own authenticated ESI routes.
#pragma once

#include "rsa_key.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aa::eve {

// The issuer EVE writes into tokens and metadata.
inline constexpr std::string_view eve_issuer = "https://login.eveonline.com";
inline constexpr std::string_view eve_signing_key_id = "JWT-Signature-Key";
inline constexpr std::string_view eve_audience = "EVE Online";

// exp - iat in EVE's tokens. The token response sends expires_in 1199, so
// clients refresh a second early.
inline constexpr std::int64_t access_token_lifetime_seconds = 1200;
inline constexpr std::int64_t token_response_expires_in = 1199;

// Ways to spoil the next issued token, for testing client-side validation.
enum class TokenDefect { none, invalid_signature, wrong_issuer, expired, missing_scopes, wrong_audience };

struct AccessTokenSubject {
    long long character_id = 0;
    std::string character_name;
    std::string owner_hash;
    std::string client_id;
    std::vector<std::string> scopes;
};

std::string issue_access_token(const AccessTokenSubject& subject, const RsaKey& key,
                               std::int64_t now, TokenDefect defect = TokenDefect::none);

struct VerifiedAccessToken {
    AccessTokenSubject subject;
    std::int64_t expires_at = 0;
};

struct TokenCheck {
    std::optional<VerifiedAccessToken> token;
    std::string error;  // set when token is empty
};

// Verifies what EVE's documentation asks clients to verify: the RS256
// signature by kid, iss (either of EVE's two values), exp, and an aud
// containing "EVE Online". The caller checks the scopes.
TokenCheck verify_access_token(std::string_view token, const RsaKey& key, std::int64_t now);

}  // namespace aa::eve
