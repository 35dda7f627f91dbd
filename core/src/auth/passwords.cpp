#include "auth/passwords.hpp"

#include <sodium.h>

#include <openssl/evp.h>

#include <stdexcept>
#include <vector>

#include "auth/crypto.hpp"

namespace aa::core {
namespace {

// Django: "pbkdf2_sha256$<iterations>$<salt>$<base64 of the 32-byte key>".
PasswordCheck check_django_pbkdf2(std::string_view password, const std::string& stored) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    auto dollar = stored.find('$', start);
    parts.push_back(stored.substr(start, dollar - start));
    if (dollar == std::string::npos) break;
    start = dollar + 1;
  }
  if (parts.size() != 4) return {};
  int iterations = 0;
  try {
    iterations = std::stoi(parts[1]);
  } catch (const std::exception&) {
    return {};
  }
  auto expected = base64_decode(parts[3]);
  if (iterations <= 0 || !expected || expected->empty()) return {};

  std::string derived(expected->size(), '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(parts[2].data()), static_cast<int>(parts[2].size()),
                        iterations, EVP_sha256(), static_cast<int>(derived.size()),
                        reinterpret_cast<unsigned char*>(derived.data())) != 1) {
    return {};
  }
  bool valid = constant_time_equal(derived, *expected);
  return {valid, valid};
}

}  // namespace

std::string hash_password(std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return hash;
}

bool is_usable_hash(const std::string& stored) {
  return stored.starts_with("$argon2") || stored.starts_with("pbkdf2_sha256$");
}

PasswordCheck check_password(std::string_view password, const std::string& stored) {
  if (stored.starts_with("$argon2")) {
    bool valid = crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
    bool outdated = valid && crypto_pwhash_str_needs_rehash(stored.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                                            crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
    return {valid, outdated};
  }
  if (stored.starts_with("pbkdf2_sha256$")) return check_django_pbkdf2(password, stored);
  return {};
}

}  // namespace aa::core
