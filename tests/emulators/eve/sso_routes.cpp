// EVE SSO v2 routes: discovery metadata, JWKS, authorize, token, revoke
// and the legacy verify endpoint.
#include "emulator.hpp"

#include "access_token.hpp"
#include "authorize_page.hpp"
#include "base64.hpp"
#include "bearer_auth.hpp"
#include "client_auth.hpp"
#include "form_fields.hpp"
#include "json_response.hpp"

#include <boost/json/array.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <sstream>

namespace aa::eve {

using aa::emulator::FormFields;
using aa::emulator::json_response;
using aa::emulator::Request;
using aa::emulator::Response;

namespace {

constexpr std::string_view eve_login_origin = "https://login.eveonline.com/";

std::vector<std::string> split_scopes(const std::string& text) {
    std::vector<std::string> scopes;
    std::istringstream words(text);
    std::string scope;
    while (words >> scope) {
        if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
            scopes.push_back(scope);
        }
    }
    return scopes;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
    std::string text;
    for (const auto& scope : scopes) {
        text += text.empty() ? scope : " " + scope;
    }
    return text;
}

std::string field(const FormFields& form, const char* name) {
    auto found = form.find(name);
    return found == form.end() ? std::string() : found->second;
}

std::string pkce_challenge_of(const std::string& verifier) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(verifier.data(), verifier.size(), digest, &length, EVP_sha256(), nullptr);
    return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

// "2017-04-22T03:41:28", the legacy verify endpoint's ExpiresOn format.
std::string iso8601_utc(std::int64_t unix_seconds) {
    std::time_t time = static_cast<std::time_t>(unix_seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    return text;
}

Response html_error(std::string_view message) {
    return Response::text(400, authorize_error_page(message), "text/html; charset=utf-8");
}

// --- discovery --------------------------------------------------------------

Response get_metadata(Emulator& emulator) {
    // The captured document with every login.eveonline.com URL moved to the
    // emulator. The issuer has no path, so it keeps EVE's value.
    auto metadata = emulator.world.data().sso_metadata;
    for (auto& [key, value] : metadata) {
        if (value.is_string() && value.as_string().starts_with(eve_login_origin)) {
            std::string path(value.as_string().subview(eve_login_origin.size() - 1));
            value = emulator.config.base_url + path;
        }
    }
    return json_response(200, metadata);
}

Response get_jwks(Emulator& emulator) {
    boost::json::array keys;
    keys.push_back(boost::json::object{
        {"alg", "RS256"},
        {"e", base64url_encode(emulator.key.public_exponent())},
        {"kid", eve_signing_key_id},
        {"kty", "RSA"},
        {"n", base64url_encode(emulator.key.modulus())},
        {"use", "sig"},
    });
    for (const auto& key : emulator.world.data().jwks_extra_keys) {
        keys.push_back(key);
    }
    return json_response(200, boost::json::object{{"keys", std::move(keys)},
                                                  {"SkipUnresolvedJsonWebKeys", true}});
}

// --- authorize --------------------------------------------------------------

Response get_authorize(Emulator& emulator, Request& request) {
    auto query = aa::emulator::parse_form_fields(request.query);
    if (!query) {
        return html_error("The query string is not valid URL encoding.");
    }

    auto response_type = field(*query, "response_type");
    if (response_type != "code") {
        return html_error("Invalid response_type '" + response_type + "': this emulator supports only 'code'.");
    }
    auto client_id = field(*query, "client_id");
    if (client_id != emulator.config.client_id) {
        return html_error("Unknown client_id '" + client_id + "'.");
    }
    auto redirect_uri = field(*query, "redirect_uri");
    auto parsed_redirect = boost::urls::parse_absolute_uri(redirect_uri);
    if (redirect_uri.empty() || !parsed_redirect ||
        (parsed_redirect->scheme() != "http" && parsed_redirect->scheme() != "https")) {
        return html_error("Invalid redirect_uri '" + redirect_uri + "': an absolute http or https URL is required.");
    }
    auto state = field(*query, "state");
    if (state.empty()) {
        return html_error("The state parameter is required.");
    }
    auto challenge = field(*query, "code_challenge");
    auto challenge_method = field(*query, "code_challenge_method");
    if (!challenge.empty() && challenge_method != "S256") {
        return html_error("Invalid code_challenge_method '" + challenge_method + "': only 'S256' is supported.");
    }
    auto scopes = split_scopes(field(*query, "scope"));

    auto character_text = field(*query, "character_id");
    if (character_text.empty()) {
        auto page_url = emulator.config.base_url + request.path + "?" + request.query;
        if (!boost::urls::parse_uri(page_url)) {
            return html_error("The request target is not a valid URI; percent-encode its parameters.");
        }
        return Response::text(200, character_chooser_page(page_url, emulator.world.characters(), scopes),
                              "text/html; charset=utf-8");
    }

    long long character_id = 0;
    auto [end, parse_error] = std::from_chars(character_text.data(),
                                              character_text.data() + character_text.size(), character_id);
    if (parse_error != std::errc() || end != character_text.data() + character_text.size() ||
        !emulator.world.find_character(character_id)) {
        return html_error("Unknown character_id '" + character_text + "'.");
    }

    AuthorizationGrant grant{client_id, character_id, scopes, redirect_uri, challenge};
    auto code = emulator.grants.issue_code(std::move(grant), emulator.clock());

    boost::urls::url target(*parsed_redirect);
    target.params().append({"code", code});
    target.params().append({"state", state});
    auto response = Response::text(302, "");
    response.set_header("Location", std::string(target.buffer()));
    return response;
}

// --- token ------------------------------------------------------------------

struct TokenRequestContext {
    FormFields form;
    ClientCredentials client;
};

Response token_response(Emulator& emulator, const AuthorizationGrant& grant,
                        const std::vector<std::string>& access_scopes) {
    auto character = emulator.world.find_character(grant.character_id);
    if (!character) {
        return oauth_error(400, "invalid_grant", "the character of this grant no longer exists");
    }

    AccessTokenSubject subject{character->id, character->name, character->owner_hash,
                               grant.client_id, access_scopes};
    auto access_token = issue_access_token(subject, emulator.key, emulator.clock(),
                                           emulator.faults.take_token_defect());
    auto refresh_token = emulator.grants.issue_refresh_token(grant);

    auto response = json_response(200, boost::json::object{
                                           {"access_token", access_token},
                                           {"expires_in", token_response_expires_in},
                                           {"token_type", "Bearer"},
                                           {"refresh_token", refresh_token},
                                       });
    response.set_header("Cache-Control", "no-store");
    return response;
}

Response exchange_code(Emulator& emulator, const TokenRequestContext& context) {
    auto code = field(context.form, "code");
    if (code.empty()) {
        return oauth_error(400, "invalid_request", "the code parameter is required");
    }
    if (emulator.faults.take_code_rejection()) {
        return oauth_error(400, "invalid_grant", "code rejected by an injected fault");
    }

    auto grant = emulator.grants.redeem_code(code, emulator.clock());
    if (!grant || grant->client_id != context.client.client_id) {
        return oauth_error(400, "invalid_grant", "the authorization code is unknown, expired or already used");
    }
    auto redirect_uri = field(context.form, "redirect_uri");
    if (!redirect_uri.empty() && redirect_uri != grant->redirect_uri) {
        return oauth_error(400, "invalid_grant", "redirect_uri '" + redirect_uri +
                                                     "' differs from the one sent to authorize");
    }

    auto verifier = field(context.form, "code_verifier");
    if (!grant->code_challenge.empty() && pkce_challenge_of(verifier) != grant->code_challenge) {
        return oauth_error(400, "invalid_grant", "code_verifier does not match the code_challenge");
    }
    if (!context.client.client_secret && grant->code_challenge.empty()) {
        return oauth_error(401, "invalid_client", "a client without a secret must use PKCE");
    }
    return token_response(emulator, *grant, grant->scopes);
}

Response refresh(Emulator& emulator, const TokenRequestContext& context) {
    auto token = field(context.form, "refresh_token");
    if (token.empty()) {
        return oauth_error(400, "invalid_request", "the refresh_token parameter is required");
    }
    auto grant = emulator.grants.find_refresh_token(token, context.client.client_id);
    if (!grant) {
        return oauth_error(400, "invalid_grant", "the refresh token is unknown, revoked or already rotated");
    }

    if (!context.client.client_secret && grant->code_challenge.empty()) {
        return oauth_error(401, "invalid_client", "a client without a secret must use PKCE");
    }

    // Without "scope" every scope of the grant comes back; with it, only a
    // subset may be asked for.
    auto access_scopes = grant->scopes;
    if (context.form.contains("scope")) {
        access_scopes = split_scopes(field(context.form, "scope"));
        for (const auto& scope : access_scopes) {
            if (std::find(grant->scopes.begin(), grant->scopes.end(), scope) == grant->scopes.end()) {
                return oauth_error(400, "invalid_scope", "scope '" + scope + "' was not granted");
            }
        }
    }

    emulator.grants.take_refresh_token(token, context.client.client_id);
    return token_response(emulator, *grant, access_scopes);
}

// Checks the content type and the client. Returns an error response, or
// nullopt with the context filled in.
std::optional<Response> read_token_request(Emulator& emulator, const Request& request,
                                           TokenRequestContext& context) {
    auto content_type = request.header("content-type");
    if (content_type.rfind("application/x-www-form-urlencoded", 0) != 0) {
        return oauth_error(400, "invalid_request",
                           "the body must be application/x-www-form-urlencoded, not '" + content_type + "'");
    }
    auto form = aa::emulator::parse_form_fields(request.body);
    if (!form) {
        return oauth_error(400, "invalid_request", "the body is not valid form encoding");
    }
    context.form = std::move(*form);

    std::string error;
    auto client = read_client_credentials(request, context.form, error);
    if (!client) {
        return oauth_error(401, "invalid_client", error);
    }
    bool secret_ok = !client->client_secret || *client->client_secret == emulator.config.client_secret;
    if (client->client_id != emulator.config.client_id || !secret_ok) {
        auto response = oauth_error(401, "invalid_client",
                                    "unknown client_id '" + client->client_id + "' or wrong client secret");
        if (client->used_basic) {
            response.set_header("WWW-Authenticate", "Basic realm=\"EVE SSO emulator\"");
        }
        return response;
    }
    context.client = std::move(*client);
    return std::nullopt;
}

Response post_token(Emulator& emulator, Request& request) {
    TokenRequestContext context;
    if (auto error = read_token_request(emulator, request, context)) {
        return *error;
    }

    auto grant_type = field(context.form, "grant_type");
    if (grant_type == "authorization_code") {
        return exchange_code(emulator, context);
    }
    if (grant_type == "refresh_token") {
        return refresh(emulator, context);
    }
    return oauth_error(400, "unsupported_grant_type",
                       "grant_type '" + grant_type + "' is not supported; use authorization_code or refresh_token");
}

// --- revoke and verify ------------------------------------------------------

Response post_revoke(Emulator& emulator, Request& request) {
    TokenRequestContext context;
    if (auto error = read_token_request(emulator, request, context)) {
        return *error;
    }

    // RFC 7009: 200 whether or not the token was known. Access tokens are
    // JWTs that stay valid until they expire, as with EVE.
    auto hint = field(context.form, "token_type_hint");
    if (hint.empty() || hint == "refresh_token") {
        emulator.grants.revoke_refresh_token(field(context.form, "token"), context.client.client_id);
    }
    return Response::text(200, "");
}

Response get_verify(Emulator& emulator, Request& request) {
    auto check = require_bearer_token(request, emulator.key, emulator.clock(), "");
    if (!check.token) {
        return check.error;
    }

    // The legacy v1 verify fields, mapped from the JWT claims as CCP's
    // migration guide lists them.
    const auto& subject = check.token->subject;
    auto expires = iso8601_utc(check.token->expires_at);
    return json_response(200, boost::json::object{
                                  {"CharacterID", subject.character_id},
                                  {"CharacterName", subject.character_name},
                                  {"ExpiresOn", expires},
                                  {"Scopes", join_scopes(subject.scopes)},
                                  {"TokenType", "Character"},
                                  {"CharacterOwnerHash", subject.owner_hash},
                                  {"ClientID", subject.client_id},
                                  {"IntellectualProperty", "EVE"},
                              });
}

// Wraps an SSO handler so that the "sso down" fault drops the connection.
aa::emulator::Handler sso_route(Emulator& emulator, std::function<Response(Emulator&, Request&)> handler) {
    return [&emulator, handler](Request& request) {
        if (emulator.faults.sso_down()) {
            return Response::dropped();
        }
        return handler(emulator, request);
    };
}

}  // namespace

void add_sso_routes(aa::emulator::Router& router, Emulator& emulator) {
    auto metadata = sso_route(emulator, [](Emulator& e, Request&) { return get_metadata(e); });
    router.add("GET", "/.well-known/oauth-authorization-server", "sso_metadata", metadata);
    router.add("GET", "/.well-known/openid-configuration", "sso_metadata", metadata);
    router.add("GET", "/oauth/jwks", "sso_jwks",
               sso_route(emulator, [](Emulator& e, Request&) { return get_jwks(e); }));
    router.add("GET", "/v2/oauth/authorize", "sso_authorize", sso_route(emulator, get_authorize));
    router.add("POST", "/v2/oauth/token", "sso_token", sso_route(emulator, post_token));
    router.add("POST", "/v2/oauth/revoke", "sso_revoke", sso_route(emulator, post_revoke));
    router.add("GET", "/v2/oauth/verify", "sso_verify", sso_route(emulator, get_verify));
    router.add("GET", "/oauth/verify", "sso_verify", sso_route(emulator, get_verify));
}

}  // namespace aa::eve
