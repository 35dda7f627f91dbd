// Authorization codes and tokens of Discord's OAuth2 flow. Not
// thread-safe; the emulator serializes requests.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace aa::discord_emulator {

// Lifetimes: Discord's access tokens last 7 days (expires_in 604800); the
// code lifetime is the emulator's choice, because Discord does not document it.
inline constexpr std::int64_t access_token_lifetime_s = 604'800;
inline constexpr std::int64_t code_lifetime_s = 600;

// What a user authorized: who, which scopes, for which redirect URI.
struct Grant {
    std::string user_id;
    std::vector<std::string> scopes;
    std::string redirect_uri;  // "" when the authorize request had none
    std::string guild_id;      // for the "bot" scope

    bool has_scope(const std::string& scope) const;
    std::string scope_text() const;  // space-separated, as Discord returns it
};

struct TokenPair {
    std::string access_token;
    std::string refresh_token;
};

class OAuthStore {
public:
    std::string issue_code(Grant grant, std::int64_t now_ms);
    // Returns the grant of an unexpired code and forgets the code.
    std::optional<Grant> take_code(const std::string& code, std::int64_t now_ms);

    TokenPair issue_tokens(const Grant& grant, std::int64_t now_ms);
    // Returns the grant of a refresh token and forgets that refresh token
    // and its access token, because a refresh replaces both.
    std::optional<Grant> take_refresh_token(const std::string& refresh_token);
    std::optional<Grant> find_access_token(const std::string& access_token, std::int64_t now_ms) const;
    // Revokes the access and refresh token of the authorization that
    // `token` (either of them) belongs to. Unknown tokens are ignored.
    void revoke(const std::string& token);

private:
    struct Code {
        Grant grant;
        std::int64_t expires_at_ms = 0;
    };
    struct Authorization {
        Grant grant;
        std::string access_token;
        std::int64_t access_expires_at_ms = 0;
    };

    std::map<std::string, Code> codes_;
    std::map<std::string, Authorization> by_refresh_token_;
    std::map<std::string, std::string> refresh_of_access_;
};

// A random token of `bytes` random bytes in hex.
std::string random_hex(std::size_t bytes);

}  // namespace aa::discord_emulator
