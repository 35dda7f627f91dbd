// Base64 (RFC 4648 section 4) and base64url without padding (section 5), as
// JWTs and EVE's owner hashes use them. Built on OpenSSL's EVP_EncodeBlock.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aa::eve {

std::string base64_encode(std::string_view bytes);

// Returns nullopt for text that is not padded base64.
std::optional<std::string> base64_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);

// Accepts only unpadded base64url, as JWT segments are written.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace aa::eve
