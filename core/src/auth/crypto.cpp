#include "auth/crypto.hpp"

#include <sodium.h>

#include <openssl/sha.h>

#include <stdexcept>
#include <vector>

namespace aa::core {
namespace {

std::string encode(std::string_view data, int variant) {
  std::string out(sodium_base64_encoded_len(data.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(), variant);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::optional<std::string> decode(std::string_view text, int variant) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, variant) != 0) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

}  // namespace

void init_crypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

std::string random_token(std::size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return base64url_encode(raw);
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(sizeof digest * 2);
  for (unsigned char byte : digest) {
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string base64url_encode(std::string_view data) { return encode(data, sodium_base64_VARIANT_URLSAFE_NO_PADDING); }

std::optional<std::string> base64url_decode(std::string_view text) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  return decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

std::string base64_encode(std::string_view data) { return encode(data, sodium_base64_VARIANT_ORIGINAL); }

std::optional<std::string> base64_decode(std::string_view text) { return decode(text, sodium_base64_VARIANT_ORIGINAL); }

SecretBox::SecretBox(std::string_view secret_key) {
  // A keyed hash with a fixed context string turns the config secret of any
  // length into a 256-bit key that is used for nothing else.
  static constexpr std::string_view kContext = "allianceauth token encryption v1";
  crypto_generichash(key_, sizeof key_, reinterpret_cast<const unsigned char*>(kContext.data()), kContext.size(),
                     reinterpret_cast<const unsigned char*>(secret_key.data()), secret_key.size());
}

std::string SecretBox::seal(std::string_view plaintext) const {
  std::vector<unsigned char> buffer(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                                    crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned char* nonce = buffer.data();
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long cipher_length = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, &cipher_length,
                                             reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                                             nullptr, 0, nullptr, nonce, key_);
  std::string_view sealed(reinterpret_cast<const char*>(buffer.data()),
                          crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + cipher_length);
  return "v1:" + base64_encode(sealed);
}

std::optional<std::string> SecretBox::open(std::string_view sealed) const {
  if (!sealed.starts_with("v1:")) return std::nullopt;
  auto raw = base64_decode(sealed.substr(3));
  constexpr auto kOverhead = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (!raw || raw->size() < kOverhead) return std::nullopt;
  const auto* nonce = reinterpret_cast<const unsigned char*>(raw->data());
  const auto* cipher = nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  auto cipher_length = raw->size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string plaintext(cipher_length - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long plain_length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plaintext.data()), &plain_length,
                                                 nullptr, cipher, cipher_length, nullptr, 0, nonce, key_) != 0) {
    return std::nullopt;
  }
  plaintext.resize(plain_length);
  return plaintext;
}

}  // namespace aa::core
