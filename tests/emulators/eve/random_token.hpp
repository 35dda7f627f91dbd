// Random values from OpenSSL's CSPRNG for codes, refresh tokens and jti.
#pragma once

#include <cstddef>
#include <string>

namespace aa::eve {

// base64url text of `bytes` random bytes.
std::string random_token(std::size_t bytes);

// A version 4 UUID in the 8-4-4-4-12 lower-case hex form.
std::string random_uuid();

}  // namespace aa::eve
