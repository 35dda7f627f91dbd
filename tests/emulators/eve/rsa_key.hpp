// The RSA key pair that signs the emulator's access tokens (RS256).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st;

namespace aa::eve {

class RsaKey {
public:
    // Generates a fresh key. Throws std::runtime_error with OpenSSL's message.
    static RsaKey generate(int bits = 2048);

    // Loads a PEM private key (PKCS#1 or PKCS#8). Throws std::runtime_error
    // naming the file when it cannot be read or contains no RSA private key.
    static RsaKey load_pem_file(const std::filesystem::path& path);

    // RSASSA-PKCS1-v1_5 with SHA-256, the JWS "RS256" algorithm.
    std::string sign_rs256(std::string_view data) const;
    bool verify_rs256(std::string_view data, std::string_view signature) const;

    // Big-endian bytes of the modulus and public exponent, for the JWKS.
    std::string modulus() const;
    std::string public_exponent() const;

private:
    struct Deleter {
        void operator()(evp_pkey_st* key) const;
    };

    explicit RsaKey(evp_pkey_st* key);

    std::shared_ptr<evp_pkey_st> key_;
};

}  // namespace aa::eve
