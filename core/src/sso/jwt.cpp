#include "sso/jwt.hpp"

#include <boost/json.hpp>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <algorithm>
#include <stdexcept>

#include "auth/crypto.hpp"

namespace aa::core {
namespace {

namespace json = boost::json;

using PkeyPtr = std::shared_ptr<EVP_PKEY>;

std::string b64url_field(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || !it->value().is_string()) return {};
  auto decoded = base64url_decode(std::string_view(it->value().as_string()));
  return decoded.value_or("");
}

PkeyPtr make_key(const char* type, OSSL_PARAM* params) {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr),
                                                                 EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) <= 0 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
    return nullptr;
  }
  return PkeyPtr(key, EVP_PKEY_free);
}

PkeyPtr rsa_key(const std::string& n, const std::string& e) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_n(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr), BN_free);
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn_e(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr), BN_free);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!bn_n || !bn_e || !builder) return nullptr;
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get());
  OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get());
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(builder.get()),
                                                                 OSSL_PARAM_free);
  return params ? make_key("RSA", params.get()) : nullptr;
}

PkeyPtr ec_p256_key(const std::string& x, const std::string& y) {
  if (x.size() != 32 || y.size() != 32) return nullptr;
  std::string point = "\x04" + x + y;  // Uncompressed point encoding.
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> builder(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
  if (!builder) return nullptr;
  OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0);
  OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(builder.get()),
                                                                 OSSL_PARAM_free);
  return params ? make_key("EC", params.get()) : nullptr;
}

// JWS carries an ES256 signature as r||s (32 bytes each); OpenSSL verifies DER.
std::string ecdsa_raw_to_der(const std::string& raw) {
  if (raw.size() != 64) return {};
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr);
  ECDSA_SIG_set0(sig, r, s);
  unsigned char* der = nullptr;
  int length = i2d_ECDSA_SIG(sig, &der);
  std::string out;
  if (length > 0) out.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  ECDSA_SIG_free(sig);
  return out;
}

bool verify_signature(EVP_PKEY* key, std::string_view alg, std::string_view signed_part, std::string signature) {
  if (alg == "ES256") signature = ecdsa_raw_to_der(signature);
  if (signature.empty()) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) == 1;
}

std::string without_trailing_slash(std::string text) {
  if (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

std::string string_claim(const json::object& claims, std::string_view name) {
  auto it = claims.find(name);
  return it != claims.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

}  // namespace

Jwks Jwks::parse(std::string_view text) {
  json::value document;
  try {
    document = json::parse(text);
  } catch (const std::exception& error) {
    throw std::invalid_argument(std::string("JWKS is not valid JSON: ") + error.what());
  }
  if (!document.is_object() || !document.as_object().contains("keys") ||
      !document.as_object().at("keys").is_array()) {
    throw std::invalid_argument("JWKS has no \"keys\" array");
  }
  Jwks jwks;
  for (const auto& entry : document.as_object().at("keys").as_array()) {
    if (!entry.is_object()) continue;
    const auto& object = entry.as_object();
    Key key;
    key.kid = string_claim(object, "kid");
    key.alg = string_claim(object, "alg");
    auto kty = string_claim(object, "kty");
    if (kty == "RSA" && key.alg == "RS256") {
      key.key = rsa_key(b64url_field(object, "n"), b64url_field(object, "e"));
    } else if (kty == "EC" && key.alg == "ES256" && string_claim(object, "crv") == "P-256") {
      key.key = ec_p256_key(b64url_field(object, "x"), b64url_field(object, "y"));
    }
    if (key.key) jwks.keys_.push_back(std::move(key));
  }
  return jwks;
}

EVP_PKEY* Jwks::find(std::string_view kid, std::string_view alg) const {
  for (const auto& key : keys_) {
    if (key.kid == kid && key.alg == alg) return key.key.get();
  }
  return nullptr;
}

std::variant<TokenClaims, std::string> verify_access_token(std::string_view token, const Jwks& jwks,
                                                           const TokenExpectations& expect) {
  // Structure: three base64url parts.
  auto first_dot = token.find('.');
  auto second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
    return std::string("the access token is not a JWT (expected three dot-separated parts)");
  }
  auto header_text = base64url_decode(token.substr(0, first_dot));
  auto payload_text = base64url_decode(token.substr(first_dot + 1, second_dot - first_dot - 1));
  auto signature = base64url_decode(token.substr(second_dot + 1));
  if (!header_text || !payload_text || !signature) return std::string("the access token is not valid base64url");

  json::object header;
  json::object claims;
  try {
    header = json::parse(*header_text).as_object();
    claims = json::parse(*payload_text).as_object();
  } catch (const std::exception&) {
    return std::string("the access token's header or payload is not a JSON object");
  }

  // 1. Signature, with the key the header names.
  auto alg = string_claim(header, "alg");
  auto kid = string_claim(header, "kid");
  if (alg != "RS256" && alg != "ES256") return "unsupported signature algorithm '" + alg + "'";
  EVP_PKEY* key = jwks.find(kid, alg);
  if (!key) return "no " + alg + " key with id '" + kid + "' in the SSO's JWKS";
  if (!verify_signature(key, alg, token.substr(0, second_dot), *signature)) {
    return std::string("the access token's signature is invalid");
  }

  // 2. Issuer.
  auto issuer = without_trailing_slash(string_claim(claims, "iss"));
  bool issuer_ok = std::any_of(expect.issuers.begin(), expect.issuers.end(),
                               [&](const std::string& accepted) { return without_trailing_slash(accepted) == issuer; });
  if (!issuer_ok) return "issuer '" + issuer + "' is not accepted";

  // 3. Audience: both our client id and "EVE Online".
  bool has_client = false;
  bool has_eve = false;
  if (auto it = claims.find("aud"); it != claims.end()) {
    auto check = [&](const json::value& value) {
      if (!value.is_string()) return;
      if (value.as_string() == expect.client_id) has_client = true;
      if (value.as_string() == "EVE Online") has_eve = true;
    };
    if (it->value().is_array()) {
      for (const auto& value : it->value().as_array()) check(value);
    } else {
      check(it->value());
    }
  }
  if (!has_client || !has_eve) return "audience does not contain both client id '" + expect.client_id + "' and 'EVE Online'";

  // 4. Expiry.
  auto exp = claims.find("exp");
  if (exp == claims.end() || !exp->value().is_number()) return std::string("the access token has no exp claim");
  auto expires_at = exp->value().to_number<long long>();
  if (expires_at + expect.leeway_seconds < expect.now) {
    return "the access token expired at " + std::to_string(expires_at) + " (now " + std::to_string(expect.now) + ")";
  }

  // 5. Claims: sub is "CHARACTER:EVE:<id>"; scp is a list, or a string when
  // only one scope was granted.
  TokenClaims result;
  result.expires_at = expires_at;
  auto sub = string_claim(claims, "sub");
  auto first_colon = sub.find(':');
  auto last_colon = sub.rfind(':');
  if (first_colon == std::string::npos || first_colon == last_colon) return "sub claim '" + sub + "' is malformed";
  result.token_type = sub.substr(0, first_colon);
  std::transform(result.token_type.begin(), result.token_type.end(), result.token_type.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  try {
    result.character_id = std::stoll(sub.substr(last_colon + 1));
  } catch (const std::exception&) {
    return "sub claim '" + sub + "' has no character id";
  }
  result.character_name = string_claim(claims, "name");
  result.owner_hash = string_claim(claims, "owner");
  if (result.character_name.empty() || result.owner_hash.empty()) {
    return std::string("the access token lacks the name or owner claim");
  }
  if (auto scp = claims.find("scp"); scp != claims.end()) {
    if (scp->value().is_string()) {
      result.scopes.emplace_back(scp->value().as_string());
    } else if (scp->value().is_array()) {
      for (const auto& scope : scp->value().as_array()) {
        if (scope.is_string()) result.scopes.emplace_back(scope.as_string());
      }
    }
  }
  std::vector<std::string> missing;
  for (const auto& scope : expect.required_scopes) {
    if (std::find(result.scopes.begin(), result.scopes.end(), scope) == result.scopes.end()) missing.push_back(scope);
  }
  if (!missing.empty()) {
    std::string list;
    for (const auto& scope : missing) list += (list.empty() ? "" : ", ") + scope;
    return "the token lacks the required scopes: " + list;
  }
  return result;
}

}  // namespace aa::core
