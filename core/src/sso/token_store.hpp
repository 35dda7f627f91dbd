// SSO tokens at rest: access and refresh tokens encrypted with the
// instance's SecretBox, their scopes in sso_token_scopes, and refresh on
// expiry with the newest refresh token kept.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "auth/crypto.hpp"
#include "sso/jwt.hpp"
#include "sso/sso_client.hpp"

namespace aa::core {

struct StoredToken {
  long long id = 0;
  std::optional<long long> user_id;
  long long character_id = 0;
  std::string character_name;
  std::string owner_hash;
  std::vector<std::string> scopes;
  std::string access_token;
  std::string refresh_token;
  long long expires_at = 0;
};

/// What refreshing one stored token gave.
struct RefreshOutcome {
  enum class Kind {
    refreshed,    ///< New tokens stored; `claims` are the new access token's.
    rejected,     ///< The SSO refused the refresh token, and it was deleted.
    unavailable,  ///< No usable answer (SSO down, or an unverifiable token); nothing was deleted.
  };
  Kind kind = Kind::unavailable;
  TokenClaims claims;
  std::string error;
};

class TokenStore {
 public:
  TokenStore(const SecretBox& box, SsoClient& sso);

  /// Stores a verified token for `user_id` and returns its id.
  long long save(soci::session& sql, std::optional<long long> user_id, const TokenClaims& claims,
                 const SsoTokens& tokens);
  std::vector<StoredToken> tokens_of_character(soci::session& sql, long long character_id);
  /// The user's tokens for the token management page, newest first, with
  /// their scopes but without the secrets: access_token and refresh_token
  /// stay empty.
  std::vector<StoredToken> token_summaries_of_user(soci::session& sql, long long user_id);
  /// One token with its secrets opened.
  std::optional<StoredToken> token_by_id(soci::session& sql, long long token_id);
  /// Deletes one token and its scopes; returns whether it existed.
  bool delete_token(soci::session& sql, long long token_id);
  /// Deletes every token of the character; returns how many there were.
  int delete_character_tokens(soci::session& sql, long long character_id);

  /// A usable access token of `character_id` with all `scopes`, refreshed
  /// when it has expired. A refresh the SSO rejects deletes that token; an
  /// unreachable SSO deletes nothing and returns nothing.
  std::optional<std::string> valid_access_token(soci::session& sql, long long character_id,
                                                const std::vector<std::string>& scopes);
  /// Refreshes `token` now, whatever its expiry, and stores the result,
  /// the new owner hash included; the ownership check compares that hash.
  RefreshOutcome refresh(soci::session& sql, const StoredToken& token);

 private:
  const SecretBox& box_;
  SsoClient& sso_;
};

}  // namespace aa::core
