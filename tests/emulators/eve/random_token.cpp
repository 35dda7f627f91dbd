#include "random_token.hpp"

#include "base64.hpp"

#include <openssl/rand.h>

#include <cstdio>
#include <stdexcept>

namespace aa::eve {

namespace {

std::string random_bytes(std::size_t count) {
    std::string bytes(count, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(count)) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return bytes;
}

}  // namespace

std::string random_token(std::size_t bytes) {
    return base64url_encode(random_bytes(bytes));
}

std::string random_uuid() {
    auto bytes = random_bytes(16);
    bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);  // version 4
    bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant

    std::string text;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            text += '-';
        }
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(bytes[i]));
        text += hex;
    }
    return text;
}

}  // namespace aa::eve
