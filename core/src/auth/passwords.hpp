// Password hashing for local accounts: Argon2id (libsodium) for new hashes,
// and verification of Django's pbkdf2_sha256 hashes so accounts imported
// from an upstream install keep their passwords.
#pragma once

#include <string>
#include <string_view>

namespace aa::core {

/// An Argon2id hash in PHC format ("$argon2id$...").
std::string hash_password(std::string_view password);

struct PasswordCheck {
  bool valid = false;
  /// True when the stored hash uses an older scheme and should be replaced
  /// by hash_password() now that the password is known.
  bool needs_rehash = false;
};

/// True when `stored` is a hash check_password can verify; accounts made by
/// SSO login have none.
bool is_usable_hash(const std::string& stored);

/// Checks `password` against `stored`. An empty or unusable stored hash
/// ("!" as Django writes it) never matches.
PasswordCheck check_password(std::string_view password, const std::string& stored);

}  // namespace aa::core
