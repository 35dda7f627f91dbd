// The EVE SSO v2 client: metadata discovery, the authorize URL, code
// exchange, refresh with token rotation, revocation and JWT verification
// against the SSO's published keys.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sso/jwt.hpp"

namespace aa::core {

struct SsoOptions {
  std::string client_id;
  std::string client_secret;
  std::string callback_url;
  std::string metadata_url;
  std::vector<std::string> issuers;
  std::chrono::milliseconds timeout{10000};
  /// How long metadata and keys are reused before they are fetched again.
  std::chrono::seconds metadata_max_age{3600};
};

struct SsoError {
  enum class Kind {
    unreachable,  ///< No answer, a timeout or a 5xx: nothing may be revoked.
    rejected,     ///< The SSO answered 4xx, e.g. invalid_grant for a used code.
    invalid,      ///< The answer was not what the protocol promises.
  };
  Kind kind = Kind::invalid;
  std::string message;
};

struct SsoTokens {
  std::string access_token;
  std::string refresh_token;
  long long expires_in = 0;
};

class SsoClient {
 public:
  explicit SsoClient(SsoOptions options);

  /// The URL to send the browser to. Fetches the metadata when needed.
  std::variant<std::string, SsoError> authorize_url(const std::string& state, const std::vector<std::string>& scopes);
  std::variant<SsoTokens, SsoError> exchange_code(const std::string& code);
  /// A new access token; the answer may carry a new refresh token, which
  /// replaces the old one.
  std::variant<SsoTokens, SsoError> refresh(const std::string& refresh_token);
  /// Revokes a refresh token (RFC 7009). Failures are returned, not thrown.
  std::optional<SsoError> revoke(const std::string& refresh_token);
  /// Verifies an access token against the SSO's keys, fetching them again
  /// once when the token names a key id the cached set lacks.
  std::variant<TokenClaims, std::string> verify(const std::string& access_token,
                                                const std::vector<std::string>& required_scopes);

  const SsoOptions& options() const { return options_; }

 private:
  struct Endpoints {
    std::string authorize;
    std::string token;
    std::string revoke;
    std::string jwks;
  };

  std::variant<Endpoints, SsoError> endpoints();
  std::variant<SsoTokens, SsoError> token_request(const std::vector<std::pair<std::string, std::string>>& form);
  std::optional<SsoError> load_jwks(const std::string& url);

  SsoOptions options_;
  std::mutex mutex_;
  std::optional<Endpoints> endpoints_;
  std::chrono::steady_clock::time_point endpoints_fetched_;
  std::optional<Jwks> jwks_;
  std::chrono::steady_clock::time_point jwks_fetched_;
};

}  // namespace aa::core
