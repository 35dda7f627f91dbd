#include "access_token.hpp"

#include "jwt.hpp"
#include "random_token.hpp"

#include <boost/json/array.hpp>

#include <algorithm>

namespace aa::eve {

namespace {

constexpr std::string_view wrong_issuer_value = "https://login.wrong-issuer.invalid";
constexpr std::string_view wrong_audience_value = "another-client-id";
constexpr std::string_view subject_prefix = "CHARACTER:EVE:";

boost::json::value scope_claim(const std::vector<std::string>& scopes) {
    // EVE writes a single scope as a plain string and several as an array.
    if (scopes.size() == 1) {
        return boost::json::string(scopes.front());
    }
    boost::json::array list;
    for (const auto& scope : scopes) {
        list.emplace_back(scope);
    }
    return list;
}

std::vector<std::string> read_scope_claim(const boost::json::object& payload) {
    std::vector<std::string> scopes;
    auto found = payload.find("scp");
    if (found == payload.end()) {
        return scopes;
    }
    if (found->value().is_string()) {
        scopes.emplace_back(found->value().as_string());
        return scopes;
    }
    if (found->value().is_array()) {
        for (const auto& item : found->value().as_array()) {
            if (item.is_string()) {
                scopes.emplace_back(item.as_string());
            }
        }
    }
    return scopes;
}

std::string string_claim(const boost::json::object& payload, std::string_view name) {
    auto found = payload.find(name);
    if (found == payload.end() || !found->value().is_string()) {
        return {};
    }
    return std::string(found->value().as_string());
}

std::optional<long long> character_id_from_subject(std::string_view subject) {
    if (subject.substr(0, subject_prefix.size()) != subject_prefix) {
        return std::nullopt;
    }
    auto digits = subject.substr(subject_prefix.size());
    if (digits.empty() || digits.size() > 12 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return std::stoll(std::string(digits));
}

bool audience_contains(const boost::json::object& payload, std::string_view expected) {
    auto found = payload.find("aud");
    if (found == payload.end()) {
        return false;
    }
    if (found->value().is_string()) {
        return found->value().as_string() == expected;
    }
    if (!found->value().is_array()) {
        return false;
    }
    const auto& list = found->value().as_array();
    return std::any_of(list.begin(), list.end(), [&](const boost::json::value& item) {
        return item.is_string() && item.as_string() == expected;
    });
}

}  // namespace

std::string issue_access_token(const AccessTokenSubject& subject, const RsaKey& key,
                               std::int64_t now, TokenDefect defect) {
    boost::json::object header{{"alg", "RS256"}, {"kid", eve_signing_key_id}, {"typ", "JWT"}};

    auto issued_at = defect == TokenDefect::expired ? now - 2 * access_token_lifetime_seconds : now;
    auto audience_client = defect == TokenDefect::wrong_audience ? std::string(wrong_audience_value)
                                                                 : subject.client_id;
    auto issuer = defect == TokenDefect::wrong_issuer ? wrong_issuer_value : eve_issuer;

    // Claim order follows CCP's example payload.
    boost::json::object payload;
    if (defect != TokenDefect::missing_scopes && !subject.scopes.empty()) {
        payload["scp"] = scope_claim(subject.scopes);
    }
    payload["jti"] = random_uuid();
    payload["kid"] = eve_signing_key_id;
    payload["sub"] = std::string(subject_prefix) + std::to_string(subject.character_id);
    payload["azp"] = subject.client_id;
    payload["tenant"] = "tranquility";
    payload["tier"] = "live";
    payload["region"] = "world";
    payload["aud"] = boost::json::array{boost::json::string(audience_client),
                                        boost::json::string(eve_audience)};
    payload["name"] = subject.character_name;
    payload["owner"] = subject.owner_hash;
    payload["exp"] = issued_at + access_token_lifetime_seconds;
    payload["iat"] = issued_at;
    payload["iss"] = issuer;

    auto token = sign_jwt(header, payload, key);
    if (defect == TokenDefect::invalid_signature) {
        // Changing the first signature character changes the top bits of the
        // first signature byte while the token still parses. The last
        // character would not do: part of its bits are padding.
        auto& first = token[token.rfind('.') + 1];
        first = first == 'A' ? 'B' : 'A';
    }
    return token;
}

TokenCheck verify_access_token(std::string_view token, const RsaKey& key, std::int64_t now) {
    TokenCheck check;
    auto jwt = decode_jwt(token, check.error);
    if (!jwt) {
        return check;
    }

    if (string_claim(jwt->header, "alg") != "RS256" ||
        string_claim(jwt->header, "kid") != eve_signing_key_id) {
        check.error = "token header must name alg RS256 and kid JWT-Signature-Key";
        return check;
    }
    if (!key.verify_rs256(jwt->signing_input, jwt->signature)) {
        check.error = "token signature is invalid";
        return check;
    }

    const auto& payload = jwt->payload;
    auto issuer = string_claim(payload, "iss");
    if (issuer != eve_issuer && issuer != "login.eveonline.com") {
        check.error = "token issuer '" + issuer + "' is not EVE's";
        return check;
    }
    auto expiry = payload.find("exp");
    if (expiry == payload.end() || !expiry->value().is_int64()) {
        check.error = "token has no numeric exp claim";
        return check;
    }
    if (expiry->value().as_int64() <= now) {
        check.error = "token expired at " + std::to_string(expiry->value().as_int64());
        return check;
    }
    if (!audience_contains(payload, eve_audience)) {
        check.error = "token audience does not contain \"EVE Online\"";
        return check;
    }
    auto character_id = character_id_from_subject(string_claim(payload, "sub"));
    if (!character_id) {
        check.error = "token subject is not CHARACTER:EVE:<id>";
        return check;
    }

    VerifiedAccessToken verified;
    verified.subject.character_id = *character_id;
    verified.subject.character_name = string_claim(payload, "name");
    verified.subject.owner_hash = string_claim(payload, "owner");
    verified.subject.client_id = string_claim(payload, "azp");
    verified.subject.scopes = read_scope_claim(payload);
    verified.expires_at = expiry->value().as_int64();
    check.token = std::move(verified);
    return check;
}

}  // namespace aa::eve
