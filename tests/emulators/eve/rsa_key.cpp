#include "rsa_key.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdio>
#include <stdexcept>

namespace aa::eve {

namespace {

std::string openssl_error() {
    auto code = ERR_get_error();
    if (code == 0) {
        return "no OpenSSL error recorded";
    }
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    ERR_clear_error();
    return text;
}

struct DigestContext {
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    ~DigestContext() { EVP_MD_CTX_free(context); }
};

std::string big_number_param(EVP_PKEY* key, const char* name) {
    BIGNUM* number = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &number) != 1) {
        throw std::runtime_error(std::string("cannot read RSA parameter ") + name + ": " +
                                 openssl_error());
    }
    std::string bytes(static_cast<std::size_t>(BN_num_bytes(number)), '\0');
    BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
    BN_free(number);
    return bytes;
}

}  // namespace

void RsaKey::Deleter::operator()(evp_pkey_st* key) const {
    EVP_PKEY_free(key);
}

RsaKey::RsaKey(evp_pkey_st* key) : key_(key, Deleter{}) {}

RsaKey RsaKey::generate(int bits) {
    EVP_PKEY* key = EVP_RSA_gen(static_cast<unsigned>(bits));
    if (key == nullptr) {
        throw std::runtime_error("RSA key generation failed: " + openssl_error());
    }
    return RsaKey(key);
}

RsaKey RsaKey::load_pem_file(const std::filesystem::path& path) {
    std::FILE* file = std::fopen(path.c_str(), "r");
    if (file == nullptr) {
        throw std::runtime_error("cannot open key file " + path.string());
    }
    EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
    std::fclose(file);

    if (key == nullptr) {
        throw std::runtime_error("no PEM private key in " + path.string() + ": " + openssl_error());
    }
    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
        EVP_PKEY_free(key);
        throw std::runtime_error("the key in " + path.string() +
                                 " is not an RSA key; RS256 needs RSA");
    }
    return RsaKey(key);
}

std::string RsaKey::sign_rs256(std::string_view data) const {
    DigestContext digest;
    if (digest.context == nullptr ||
        EVP_DigestSignInit(digest.context, nullptr, EVP_sha256(), nullptr, key_.get()) != 1) {
        throw std::runtime_error("RS256 signing setup failed: " + openssl_error());
    }

    std::size_t length = 0;
    auto input = reinterpret_cast<const unsigned char*>(data.data());
    if (EVP_DigestSign(digest.context, nullptr, &length, input, data.size()) != 1) {
        throw std::runtime_error("RS256 signing failed: " + openssl_error());
    }
    std::string signature(length, '\0');
    if (EVP_DigestSign(digest.context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                       input, data.size()) != 1) {
        throw std::runtime_error("RS256 signing failed: " + openssl_error());
    }
    signature.resize(length);
    return signature;
}

bool RsaKey::verify_rs256(std::string_view data, std::string_view signature) const {
    DigestContext digest;
    if (digest.context == nullptr ||
        EVP_DigestVerifyInit(digest.context, nullptr, EVP_sha256(), nullptr, key_.get()) != 1) {
        throw std::runtime_error("RS256 verification setup failed: " + openssl_error());
    }
    auto result = EVP_DigestVerify(digest.context,
                                   reinterpret_cast<const unsigned char*>(signature.data()),
                                   signature.size(),
                                   reinterpret_cast<const unsigned char*>(data.data()), data.size());
    ERR_clear_error();
    return result == 1;
}

std::string RsaKey::modulus() const {
    return big_number_param(key_.get(), OSSL_PKEY_PARAM_RSA_N);
}

std::string RsaKey::public_exponent() const {
    return big_number_param(key_.get(), OSSL_PKEY_PARAM_RSA_E);
}

}  // namespace aa::eve
