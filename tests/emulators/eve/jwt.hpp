// Compact JWS (RFC 7515) encoding and decoding with RS256.
#pragma once

#include "rsa_key.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace aa::eve {

struct DecodedJwt {
    boost::json::object header;
    boost::json::object payload;
    std::string signing_input;  // "<header>.<payload>" as received
    std::string signature;      // raw bytes
};

// Returns base64url(header) "." base64url(payload) "." base64url(signature).
std::string sign_jwt(const boost::json::object& header, const boost::json::object& payload,
                     const RsaKey& key);

// Splits the token and decodes its parts without checking the signature.
// Returns nullopt and sets error when the token is malformed.
std::optional<DecodedJwt> decode_jwt(std::string_view token, std::string& error);

}  // namespace aa::eve
