#include "oauth_store.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace aa::discord_emulator {

std::string random_hex(std::size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    static constexpr char digits[] = "0123456789abcdef";
    std::string text;
    for (auto byte : buffer) {
        text.push_back(digits[byte >> 4]);
        text.push_back(digits[byte & 0x0f]);
    }
    return text;
}

bool Grant::has_scope(const std::string& scope) const {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::string Grant::scope_text() const {
    std::string text;
    for (const auto& scope : scopes) {
        text += text.empty() ? scope : " " + scope;
    }
    return text;
}

std::string OAuthStore::issue_code(Grant grant, std::int64_t now_ms) {
    auto code = random_hex(15);
    codes_[code] = Code{std::move(grant), now_ms + code_lifetime_s * 1000};
    return code;
}

std::optional<Grant> OAuthStore::take_code(const std::string& code, std::int64_t now_ms) {
    auto found = codes_.find(code);
    if (found == codes_.end()) {
        return std::nullopt;
    }
    auto entry = std::move(found->second);
    codes_.erase(found);
    if (now_ms >= entry.expires_at_ms) {
        return std::nullopt;
    }
    return entry.grant;
}

TokenPair OAuthStore::issue_tokens(const Grant& grant, std::int64_t now_ms) {
    TokenPair pair{random_hex(15), random_hex(16)};
    by_refresh_token_[pair.refresh_token] =
        Authorization{grant, pair.access_token, now_ms + access_token_lifetime_s * 1000};
    refresh_of_access_[pair.access_token] = pair.refresh_token;
    return pair;
}

std::optional<Grant> OAuthStore::take_refresh_token(const std::string& refresh_token) {
    auto found = by_refresh_token_.find(refresh_token);
    if (found == by_refresh_token_.end()) {
        return std::nullopt;
    }
    auto grant = found->second.grant;
    refresh_of_access_.erase(found->second.access_token);
    by_refresh_token_.erase(found);
    return grant;
}

std::optional<Grant> OAuthStore::find_access_token(const std::string& access_token, std::int64_t now_ms) const {
    auto refresh = refresh_of_access_.find(access_token);
    if (refresh == refresh_of_access_.end()) {
        return std::nullopt;
    }
    const auto& authorization = by_refresh_token_.at(refresh->second);
    if (now_ms >= authorization.access_expires_at_ms) {
        return std::nullopt;
    }
    return authorization.grant;
}

void OAuthStore::revoke(const std::string& token) {
    auto refresh_token = token;
    if (auto found = refresh_of_access_.find(token); found != refresh_of_access_.end()) {
        refresh_token = found->second;
    }
    auto found = by_refresh_token_.find(refresh_token);
    if (found == by_refresh_token_.end()) {
        return;
    }
    refresh_of_access_.erase(found->second.access_token);
    by_refresh_token_.erase(found);
}

}  // namespace aa::discord_emulator
