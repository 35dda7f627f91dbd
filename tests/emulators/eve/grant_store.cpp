#include "grant_store.hpp"

#include "random_token.hpp"

namespace aa::eve {

std::string GrantStore::issue_code(AuthorizationGrant grant, std::int64_t now) {
    auto code = random_token(16);
    std::lock_guard lock(mutex_);

    // Drop expired codes so an emulator that runs for days does not grow.
    std::erase_if(codes_, [now](const auto& entry) { return entry.second.expires_at <= now; });
    codes_[code] = PendingCode{std::move(grant), now + code_lifetime_seconds};
    return code;
}

std::optional<AuthorizationGrant> GrantStore::redeem_code(const std::string& code, std::int64_t now) {
    std::lock_guard lock(mutex_);
    auto found = codes_.find(code);
    if (found == codes_.end()) {
        return std::nullopt;
    }
    auto pending = std::move(found->second);
    codes_.erase(found);

    if (pending.expires_at <= now) {
        return std::nullopt;
    }
    return pending.grant;
}

std::string GrantStore::issue_refresh_token(AuthorizationGrant grant) {
    auto token = random_token(24);
    std::lock_guard lock(mutex_);
    refresh_tokens_[token] = std::move(grant);
    return token;
}

std::optional<AuthorizationGrant> GrantStore::find_refresh_token(
    const std::string& token, const std::string& client_id) const {
    std::lock_guard lock(mutex_);
    auto found = refresh_tokens_.find(token);
    if (found == refresh_tokens_.end() || found->second.client_id != client_id) {
        return std::nullopt;
    }
    return found->second;
}

std::optional<AuthorizationGrant> GrantStore::take_refresh_token(const std::string& token,
                                                                 const std::string& client_id) {
    std::lock_guard lock(mutex_);
    auto found = refresh_tokens_.find(token);
    if (found == refresh_tokens_.end() || found->second.client_id != client_id) {
        return std::nullopt;
    }
    auto grant = std::move(found->second);
    refresh_tokens_.erase(found);
    return grant;
}

bool GrantStore::revoke_refresh_token(const std::string& token, const std::string& client_id) {
    std::lock_guard lock(mutex_);
    auto found = refresh_tokens_.find(token);
    if (found == refresh_tokens_.end() || found->second.client_id != client_id) {
        return false;
    }
    refresh_tokens_.erase(found);
    return true;
}

std::size_t GrantStore::refresh_token_count() const {
    std::lock_guard lock(mutex_);
    return refresh_tokens_.size();
}

}  // namespace aa::eve
