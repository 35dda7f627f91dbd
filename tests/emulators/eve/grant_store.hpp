// Authorization codes and refresh tokens the SSO emulator has issued.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace aa::eve {

// The authorization that a code or refresh token represents.
struct AuthorizationGrant {
    std::string client_id;
    long long character_id = 0;
    std::vector<std::string> scopes;
    std::string redirect_uri;
    std::string code_challenge;  // PKCE S256 challenge; empty without PKCE
};

class GrantStore {
public:
    // EVE's legacy SSO documentation gives codes a five-minute lifetime.
    static constexpr std::int64_t code_lifetime_seconds = 300;

    std::string issue_code(AuthorizationGrant grant, std::int64_t now);

    // Removes the code whatever the outcome, so a code works at most once.
    // Returns nullopt for an unknown, used or expired code.
    std::optional<AuthorizationGrant> redeem_code(const std::string& code, std::int64_t now);

    std::string issue_refresh_token(AuthorizationGrant grant);

    // Returns the grant without removing it, with the same conditions as
    // take_refresh_token().
    std::optional<AuthorizationGrant> find_refresh_token(const std::string& token,
                                                         const std::string& client_id) const;

    // Removes and returns the grant when the token exists and belongs to
    // client_id; the caller then issues a new token (rotation). A token of
    // another client is left alone.
    std::optional<AuthorizationGrant> take_refresh_token(const std::string& token,
                                                         const std::string& client_id);

    // Forgets the token if it belongs to client_id. Returns whether it did.
    bool revoke_refresh_token(const std::string& token, const std::string& client_id);

    std::size_t refresh_token_count() const;

private:
    struct PendingCode {
        AuthorizationGrant grant;
        std::int64_t expires_at = 0;
    };

    mutable std::mutex mutex_;
    std::map<std::string, PendingCode> codes_;
    std::map<std::string, AuthorizationGrant> refresh_tokens_;
};

}  // namespace aa::eve
