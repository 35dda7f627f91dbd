// Small cryptographic helpers on libsodium and OpenSSL: random tokens,
// hashes, constant-time comparison, and authenticated encryption of secrets
// stored in the database.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace aa::core {

/// Calls sodium_init once; throws std::runtime_error when libsodium cannot start.
void init_crypto();

/// `bytes` random bytes, base64url-encoded without padding.
std::string random_token(std::size_t bytes = 32);
/// Lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
/// True when `a` equals `b`, in time that does not depend on where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

std::string base64url_encode(std::string_view data);
/// Decodes base64url with or without padding; nothing for invalid input.
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64_encode(std::string_view data);
std::optional<std::string> base64_decode(std::string_view text);

/// Encrypts secrets at rest with XChaCha20-Poly1305 under a key derived from
/// the config's secret_key. The output is "v1:" + base64 of nonce||ciphertext.
class SecretBox {
 public:
  explicit SecretBox(std::string_view secret_key);
  std::string seal(std::string_view plaintext) const;
  /// Nothing when the text was not sealed with this key or was altered.
  std::optional<std::string> open(std::string_view sealed) const;

 private:
  unsigned char key_[32];
};

}  // namespace aa::core
