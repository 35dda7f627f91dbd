// Verification of EVE SSO v2 access tokens: JWTs signed with RS256 (or
// ES256) by a key from the SSO's JWKS document.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

typedef struct evp_pkey_st EVP_PKEY;

namespace aa::core {

/// The public keys of a JWKS document, by key id.
class Jwks {
 public:
  /// Parses a JWKS document. Keys of unsupported types are skipped, as the
  /// document's own "SkipUnresolvedJsonWebKeys" member asks. Throws
  /// std::invalid_argument when the text is not a JWKS document.
  static Jwks parse(std::string_view json);

  /// The key with `kid` and `alg`, or nullptr.
  EVP_PKEY* find(std::string_view kid, std::string_view alg) const;
  std::size_t size() const { return keys_.size(); }

 private:
  struct Key {
    std::string kid;
    std::string alg;
    std::shared_ptr<EVP_PKEY> key;
  };
  std::vector<Key> keys_;
};

/// What the daemon reads from a verified access token.
struct TokenClaims {
  long long character_id = 0;
  std::string character_name;
  std::string owner_hash;
  std::vector<std::string> scopes;
  std::string token_type;  ///< "character", from the first field of `sub`.
  long long expires_at = 0;
};

struct TokenExpectations {
  std::string client_id;
  std::vector<std::string> issuers;  ///< Compared after removing one trailing "/".
  long long now = 0;
  long long leeway_seconds = 60;
  std::vector<std::string> required_scopes;
};

/// Verifies signature, issuer, audience (the client id and "EVE Online"),
/// expiry and scopes, in that order, and reads the claims. On failure
/// returns a message that names the failed check and the value seen.
std::variant<TokenClaims, std::string> verify_access_token(std::string_view token, const Jwks& jwks,
                                                           const TokenExpectations& expect);

}  // namespace aa::core
