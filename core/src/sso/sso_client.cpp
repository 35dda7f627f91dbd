#include "sso/sso_client.hpp"

#include <boost/json.hpp>

#include "aa/http_client.hpp"
#include "db/database.hpp"

namespace aa::core {
namespace {

namespace json = boost::json;

SsoError error_from(const HttpClientResponse& response, const std::string& what) {
  if (response.status == 0) return {SsoError::Kind::unreachable, what + ": " + response.error};
  if (response.status >= 500) {
    return {SsoError::Kind::unreachable, what + ": the SSO answered " + std::to_string(response.status)};
  }
  std::string detail;
  try {
    auto body = json::parse(response.body).as_object();
    if (auto it = body.find("error_description"); it != body.end() && it->value().is_string()) {
      detail = std::string(it->value().as_string());
    } else if (auto error = body.find("error"); error != body.end() && error->value().is_string()) {
      detail = std::string(error->value().as_string());
    }
  } catch (const std::exception&) {
    detail = "status " + std::to_string(response.status);
  }
  return {SsoError::Kind::rejected, what + " was rejected: " + detail};
}

std::string string_member(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  return it != object.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

}  // namespace

SsoClient::SsoClient(SsoOptions options) : options_(std::move(options)) {}

std::variant<SsoClient::Endpoints, SsoError> SsoClient::endpoints() {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (endpoints_ && now - endpoints_fetched_ < options_.metadata_max_age) return *endpoints_;

  HttpClientRequest request;
  request.url = options_.metadata_url;
  request.timeout = options_.timeout;
  request.retries = 1;
  auto response = http_send(request);
  if (!response.ok()) {
    // A stale copy is better than none while the SSO is unreachable.
    if (endpoints_) return *endpoints_;
    return error_from(response, "fetching the SSO metadata from " + options_.metadata_url);
  }
  try {
    auto document = json::parse(response.body).as_object();
    Endpoints found{string_member(document, "authorization_endpoint"), string_member(document, "token_endpoint"),
                    string_member(document, "revocation_endpoint"), string_member(document, "jwks_uri")};
    if (found.authorize.empty() || found.token.empty() || found.jwks.empty()) {
      return SsoError{SsoError::Kind::invalid, "the SSO metadata at " + options_.metadata_url +
                                                   " lacks authorization_endpoint, token_endpoint or jwks_uri"};
    }
    endpoints_ = found;
    endpoints_fetched_ = now;
    return found;
  } catch (const std::exception& error) {
    return SsoError{SsoError::Kind::invalid,
                    "the SSO metadata at " + options_.metadata_url + " is not a JSON object: " + error.what()};
  }
}

std::variant<std::string, SsoError> SsoClient::authorize_url(const std::string& state,
                                                            const std::vector<std::string>& scopes) {
  auto found = endpoints();
  if (auto* error = std::get_if<SsoError>(&found)) return *error;
  const auto& urls = std::get<Endpoints>(found);
  std::string scope_text;
  for (const auto& scope : scopes) scope_text += (scope_text.empty() ? "" : " ") + scope;
  auto query = form_encode({{"response_type", "code"},
                            {"redirect_uri", options_.callback_url},
                            {"client_id", options_.client_id},
                            {"scope", scope_text},
                            {"state", state}});
  return urls.authorize + (urls.authorize.find('?') == std::string::npos ? "?" : "&") + query;
}

std::variant<SsoTokens, SsoError> SsoClient::token_request(
    const std::vector<std::pair<std::string, std::string>>& form) {
  auto found = endpoints();
  if (auto* error = std::get_if<SsoError>(&found)) return *error;
  HttpClientRequest request;
  request.method = "POST";
  request.url = std::get<Endpoints>(found).token;
  request.timeout = options_.timeout;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = form_encode(form);
  request.basic_auth = options_.client_id + ":" + options_.client_secret;
  auto response = http_send(request);
  if (!response.ok()) return error_from(response, "the token request");
  try {
    auto body = json::parse(response.body).as_object();
    SsoTokens tokens;
    tokens.access_token = string_member(body, "access_token");
    tokens.refresh_token = string_member(body, "refresh_token");
    if (auto it = body.find("expires_in"); it != body.end() && it->value().is_number()) {
      tokens.expires_in = it->value().to_number<long long>();
    }
    if (tokens.access_token.empty()) {
      return SsoError{SsoError::Kind::invalid, "the SSO's token response has no access_token"};
    }
    return tokens;
  } catch (const std::exception& error) {
    return SsoError{SsoError::Kind::invalid, std::string("the SSO's token response is not JSON: ") + error.what()};
  }
}

std::variant<SsoTokens, SsoError> SsoClient::exchange_code(const std::string& code) {
  return token_request({{"grant_type", "authorization_code"}, {"code", code}});
}

std::variant<SsoTokens, SsoError> SsoClient::refresh(const std::string& refresh_token) {
  return token_request({{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}});
}

std::optional<SsoError> SsoClient::revoke(const std::string& refresh_token) {
  auto found = endpoints();
  if (auto* error = std::get_if<SsoError>(&found)) return *error;
  const auto& url = std::get<Endpoints>(found).revoke;
  if (url.empty()) return SsoError{SsoError::Kind::invalid, "the SSO metadata names no revocation_endpoint"};
  HttpClientRequest request;
  request.method = "POST";
  request.url = url;
  request.timeout = options_.timeout;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = form_encode({{"token_type_hint", "refresh_token"}, {"token", refresh_token}});
  request.basic_auth = options_.client_id + ":" + options_.client_secret;
  auto response = http_send(request);
  if (!response.ok()) return error_from(response, "revoking a refresh token");
  return std::nullopt;
}

std::optional<SsoError> SsoClient::load_jwks(const std::string& url) {
  HttpClientRequest request;
  request.url = url;
  request.timeout = options_.timeout;
  request.retries = 1;
  auto response = http_send(request);
  if (!response.ok()) return error_from(response, "fetching the SSO keys from " + url);
  try {
    auto keys = Jwks::parse(response.body);
    std::lock_guard lock(mutex_);
    jwks_ = std::move(keys);
    jwks_fetched_ = std::chrono::steady_clock::now();
    return std::nullopt;
  } catch (const std::exception& error) {
    return SsoError{SsoError::Kind::invalid, error.what()};
  }
}

std::variant<TokenClaims, std::string> SsoClient::verify(const std::string& access_token,
                                                         const std::vector<std::string>& required_scopes) {
  auto found = endpoints();
  if (auto* error = std::get_if<SsoError>(&found)) return error->message;
  const auto jwks_url = std::get<Endpoints>(found).jwks;

  TokenExpectations expect;
  expect.client_id = options_.client_id;
  expect.issuers = options_.issuers;
  expect.now = unix_now();
  expect.required_scopes = required_scopes;

  bool fresh_keys = false;
  {
    std::lock_guard lock(mutex_);
    fresh_keys = jwks_ && std::chrono::steady_clock::now() - jwks_fetched_ < options_.metadata_max_age;
  }
  if (!fresh_keys) {
    if (auto error = load_jwks(jwks_url)) return error->message;
  }
  std::optional<Jwks> keys;
  {
    std::lock_guard lock(mutex_);
    keys = jwks_;
  }
  auto result = verify_access_token(access_token, *keys, expect);

  // An unknown key id, or a signature the cached key does not verify, may
  // mean the SSO replaced its keys: fetch them once more. A bad signature
  // fetches at most once a minute, so forged tokens cannot make us hammer
  // the SSO.
  auto* message = std::get_if<std::string>(&result);
  bool unknown_key = message && message->find("in the SSO's JWKS") != std::string::npos;
  bool bad_signature = message && message->find("signature is invalid") != std::string::npos;
  if (bad_signature) {
    std::lock_guard lock(mutex_);
    bad_signature = std::chrono::steady_clock::now() - jwks_fetched_ > std::chrono::minutes(1);
  }
  if (unknown_key || bad_signature) {
    if (auto error = load_jwks(jwks_url)) return error->message;
    std::lock_guard lock(mutex_);
    return verify_access_token(access_token, *jwks_, expect);
  }
  return result;
}

}  // namespace aa::core
