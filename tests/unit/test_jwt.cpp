// verify_access_token and Jwks::parse against tokens and keys from the EVE
// emulator, plus ES256 tokens signed here with a key made for the test.
#include <doctest/doctest.h>

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <boost/json.hpp>

#include <memory>

#include "auth/crypto.hpp"
#include "db/database.hpp"
#include "emulator_process.hpp"
#include "sso/jwt.hpp"
#include "test_support.hpp"

using namespace aa::core;
namespace sample = aa::test::sample;
namespace json = boost::json;

namespace {

TokenExpectations emulator_expectations() {
  TokenExpectations expect;
  expect.client_id = aa::test::kEmulatorClientId;
  expect.issuers = {"login.eveonline.com", "https://login.eveonline.com"};
  expect.now = unix_now();
  return expect;
}

// The three dot-separated parts of a JWT, still base64url-encoded.
struct JwtParts {
  std::string header;
  std::string payload;
  std::string signature;
};

JwtParts split_jwt(const std::string& token) {
  auto first = token.find('.');
  auto second = token.find('.', first + 1);
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  return {token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1)};
}

json::object decode_part(const std::string& part) {
  auto text = base64url_decode(part);
  REQUIRE(text.has_value());
  return json::parse(*text).as_object();
}

std::string encode_part(const json::object& object) { return base64url_encode(json::serialize(object)); }

// The failure message, or "" when the token verified (which fails the check
// that called it).
std::string failure_of(const std::variant<TokenClaims, std::string>& result) {
  auto* message = std::get_if<std::string>(&result);
  return message ? *message : std::string();
}

// Changes one base64url character in the middle of `text`.
std::string flip_middle_character(std::string text) {
  auto& c = text[text.size() / 2];
  c = c == 'A' ? 'B' : 'A';
  return text;
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// A P-256 key pair made for the test, its JWKS entry, and ES256 signing as
// JWS writes it: r||s, 32 bytes each, not DER.
class Es256Signer {
 public:
  Es256Signer() : key_(EVP_EC_gen("P-256"), EVP_PKEY_free) { REQUIRE(key_); }

  std::string jwks(const std::string& kid) const {
    json::object entry{{"kty", "EC"},         {"crv", "P-256"},        {"alg", "ES256"}, {"use", "sig"},
                       {"kid", kid},          {"x", coordinate(OSSL_PKEY_PARAM_EC_PUB_X)},
                       {"y", coordinate(OSSL_PKEY_PARAM_EC_PUB_Y)}};
    return json::serialize(json::object{{"keys", json::array{entry}}, {"SkipUnresolvedJsonWebKeys", true}});
  }

  std::string sign(const std::string& kid, const json::object& payload) const {
    auto signing_input = encode_part(json::object{{"alg", "ES256"}, {"kid", kid}, {"typ", "JWT"}}) + "." +
                         encode_part(payload);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    REQUIRE(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1);
    std::size_t length = 0;
    const auto* input = reinterpret_cast<const unsigned char*>(signing_input.data());
    REQUIRE(EVP_DigestSign(context.get(), nullptr, &length, input, signing_input.size()) == 1);
    std::string der(length, '\0');
    REQUIRE(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(der.data()), &length, input,
                           signing_input.size()) == 1);

    const auto* der_bytes = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> signature(
        d2i_ECDSA_SIG(nullptr, &der_bytes, static_cast<long>(length)), ECDSA_SIG_free);
    REQUIRE(signature);
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    return signing_input + "." + base64url_encode(raw);
  }

 private:
  std::string coordinate(const char* name) const {
    BIGNUM* value = nullptr;
    REQUIRE(EVP_PKEY_get_bn_param(key_.get(), name, &value) == 1);
    std::string bytes(32, '\0');
    BN_bn2binpad(value, reinterpret_cast<unsigned char*>(bytes.data()), 32);
    BN_free(value);
    return base64url_encode(bytes);
  }

  PkeyPtr key_;
};

// EVE's claims for a character, as the emulator writes them.
json::object eve_payload(long long now) {
  return json::object{{"scp", json::array{"publicData", "esi-location.read_location.v1"}},
                      {"jti", "3e5b5d42-7f2a-4a34-9cb4-6a86d2f0c001"},
                      {"kid", "JWT-Signature-Key"},
                      {"sub", "CHARACTER:EVE:2112000001"},
                      {"azp", aa::test::kEmulatorClientId},
                      {"tenant", "tranquility"},
                      {"tier", "live"},
                      {"region", "world"},
                      {"aud", json::array{aa::test::kEmulatorClientId, "EVE Online"}},
                      {"name", "Kaelen Brightwater"},
                      {"owner", "D9kBngGokQv/Iqcuu4iADq2NyZ0="},
                      {"exp", now + 1200},
                      {"iat", now},
                      {"iss", "https://login.eveonline.com"}};
}

}  // namespace

TEST_CASE("jwt: emulator token verifies") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  auto tokens = emulator.tokens_for(sample::mira_osullivan, {"publicData", "esi-location.read_location.v1"});

  auto expect = emulator_expectations();
  expect.required_scopes = {"publicData", "esi-location.read_location.v1"};
  auto result = verify_access_token(tokens.access_token, jwks, expect);
  INFO("failure: " << failure_of(result));
  REQUIRE(std::holds_alternative<TokenClaims>(result));
  const auto& claims = std::get<TokenClaims>(result);
  CHECK(claims.character_id == sample::mira_osullivan);
  CHECK(claims.character_name == "Mira O'Sullivan");
  CHECK(claims.owner_hash == "GjyIlnidvFs+z7HJBZY7cAuCiq8=");
  CHECK(claims.token_type == "character");
  CHECK(claims.scopes == std::vector<std::string>{"publicData", "esi-location.read_location.v1"});
  auto payload = decode_part(split_jwt(tokens.access_token).payload);
  CHECK(claims.expires_at == payload.at("exp").to_number<long long>());
  CHECK(claims.expires_at > expect.now);
}

TEST_CASE("jwt: single scope as a string") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  auto tokens = emulator.tokens_for(sample::kaelen_brightwater, {"publicData"});
  // The case under test: EVE writes one scope as a plain string.
  CHECK(decode_part(split_jwt(tokens.access_token).payload).at("scp").is_string());

  auto expect = emulator_expectations();
  expect.required_scopes = {"publicData"};
  auto result = verify_access_token(tokens.access_token, jwks, expect);
  INFO("failure: " << failure_of(result));
  REQUIRE(std::holds_alternative<TokenClaims>(result));
  CHECK(std::get<TokenClaims>(result).scopes == std::vector<std::string>{"publicData"});
}

TEST_CASE("jwt: bad signature is rejected") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  auto expect = emulator_expectations();

  SUBCASE("spoiled by the emulator") {
    emulator.inject_fault(R"({"sso_token": "invalid_signature"})");
    auto tokens = emulator.tokens_for(sample::kaelen_brightwater);
    auto message = failure_of(verify_access_token(tokens.access_token, jwks, expect));
    CHECK(message.find("signature is invalid") != std::string::npos);
  }

  SUBCASE("flipped byte in the signature") {
    auto tokens = emulator.tokens_for(sample::kaelen_brightwater);
    auto parts = split_jwt(tokens.access_token);
    auto token = parts.header + "." + parts.payload + "." + flip_middle_character(parts.signature);
    auto message = failure_of(verify_access_token(token, jwks, expect));
    CHECK(message.find("signature is invalid") != std::string::npos);
  }

  SUBCASE("payload changed after signing") {
    auto tokens = emulator.tokens_for(sample::kaelen_brightwater);
    auto parts = split_jwt(tokens.access_token);
    auto payload = decode_part(parts.payload);
    payload["sub"] = "CHARACTER:EVE:2112000004";
    auto token = parts.header + "." + encode_part(payload) + "." + parts.signature;
    auto message = failure_of(verify_access_token(token, jwks, expect));
    CHECK(message.find("signature is invalid") != std::string::npos);
  }

  SUBCASE("same kid, another key") {
    // EVE's published key has the emulator's kid but a different modulus.
    auto eve_jwks = Jwks::parse(aa::test::read_file(aa::test::source_dir() / "tests/data/sso/jwks.json"));
    auto tokens = emulator.tokens_for(sample::kaelen_brightwater);
    auto message = failure_of(verify_access_token(tokens.access_token, eve_jwks, expect));
    CHECK(message.find("signature is invalid") != std::string::npos);
  }
}

TEST_CASE("jwt: wrong issuer is rejected") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  emulator.inject_fault(R"({"sso_token": "wrong_issuer"})");
  auto spoiled = emulator.tokens_for(sample::kaelen_brightwater);
  auto good = emulator.tokens_for(sample::kaelen_brightwater);
  auto expect = emulator_expectations();

  auto message = failure_of(verify_access_token(spoiled.access_token, jwks, expect));
  CHECK(message.find("issuer") != std::string::npos);
  CHECK(message.find("https://login.wrong-issuer.invalid") != std::string::npos);

  // Accepted issuers are compared without one trailing slash.
  expect.issuers = {"https://login.eveonline.com/"};
  CHECK(std::holds_alternative<TokenClaims>(verify_access_token(good.access_token, jwks, expect)));
  expect.issuers = {"login.eveonline.com"};
  message = failure_of(verify_access_token(good.access_token, jwks, expect));
  CHECK(message.find("issuer 'https://login.eveonline.com' is not accepted") != std::string::npos);
}

TEST_CASE("jwt: expired token is rejected") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  emulator.inject_fault(R"({"sso_token": "expired"})");
  auto tokens = emulator.tokens_for(sample::kaelen_brightwater);

  auto message = failure_of(verify_access_token(tokens.access_token, jwks, emulator_expectations()));
  CHECK(message.find("expired") != std::string::npos);
}

TEST_CASE("jwt: wrong audience is rejected") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  emulator.inject_fault(R"({"sso_token": "wrong_audience"})");
  auto spoiled = emulator.tokens_for(sample::kaelen_brightwater);
  auto good = emulator.tokens_for(sample::kaelen_brightwater);
  auto expect = emulator_expectations();

  auto message = failure_of(verify_access_token(spoiled.access_token, jwks, expect));
  CHECK(message.find("audience") != std::string::npos);

  // A token for another application is rejected too.
  expect.client_id = "another-application";
  message = failure_of(verify_access_token(good.access_token, jwks, expect));
  CHECK(message.find("audience") != std::string::npos);
  CHECK(message.find("another-application") != std::string::npos);
}

TEST_CASE("jwt: missing scopes are named") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  emulator.inject_fault(R"({"sso_token": "missing_scopes"})");
  auto no_scopes = emulator.tokens_for(sample::kaelen_brightwater, {"publicData"});
  auto one_scope = emulator.tokens_for(sample::kaelen_brightwater, {"publicData"});
  auto expect = emulator_expectations();

  expect.required_scopes = {"publicData"};
  auto message = failure_of(verify_access_token(no_scopes.access_token, jwks, expect));
  CHECK(message.find("lacks the required scopes: publicData") != std::string::npos);

  expect.required_scopes = {"publicData", "esi-fleets.read_fleet.v1"};
  message = failure_of(verify_access_token(one_scope.access_token, jwks, expect));
  CHECK(message.find("lacks the required scopes: esi-fleets.read_fleet.v1") != std::string::npos);
  CHECK(message.find("publicData") == std::string::npos);

  // Without required scopes a token without scp is valid and has none.
  expect.required_scopes.clear();
  auto result = verify_access_token(no_scopes.access_token, jwks, expect);
  REQUIRE(std::holds_alternative<TokenClaims>(result));
  CHECK(std::get<TokenClaims>(result).scopes.empty());
}

TEST_CASE("jwt: malformed token text is rejected") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  auto expect = emulator_expectations();
  auto header = encode_part(json::object{{"alg", "RS256"}, {"kid", "JWT-Signature-Key"}});
  auto payload = encode_part(eve_payload(expect.now));

  struct Case {
    std::string token;
    std::string expected;
  };
  std::vector<Case> cases{
      {"", "not a JWT"},
      {"not-a-token", "not a JWT"},
      {header + "." + payload, "not a JWT"},
      {header + "." + payload + ".c2ln.extra", "not a JWT"},
      {"!!!." + payload + ".c2ln", "not valid base64url"},
      {header + ".pay load.c2ln", "not valid base64url"},
      {base64url_encode("not json") + "." + payload + ".c2ln", "not a JSON object"},
      {base64url_encode("[1, 2]") + "." + payload + ".c2ln", "not a JSON object"},
      {header + "." + base64url_encode("\"text\"") + ".c2ln", "not a JSON object"},
  };
  for (const auto& test : cases) {
    CAPTURE(test.token);
    auto result = verify_access_token(test.token, jwks, expect);
    CHECK(std::holds_alternative<std::string>(result));
    CHECK(failure_of(result).find(test.expected) != std::string::npos);
  }
}

TEST_CASE("jwt: unknown kid and algorithm are rejected") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  auto tokens = emulator.tokens_for(sample::kaelen_brightwater);
  auto parts = split_jwt(tokens.access_token);
  auto expect = emulator_expectations();

  auto header = decode_part(parts.header);
  header["kid"] = "rotated-key-2";
  auto token = encode_part(header) + "." + parts.payload + "." + parts.signature;
  auto message = failure_of(verify_access_token(token, jwks, expect));
  CHECK(message.find("no RS256 key with id 'rotated-key-2'") != std::string::npos);

  // A known kid with another algorithm names no key either.
  header = decode_part(parts.header);
  header["alg"] = "ES256";
  token = encode_part(header) + "." + parts.payload + "." + parts.signature;
  message = failure_of(verify_access_token(token, jwks, expect));
  CHECK(message.find("no ES256 key with id 'JWT-Signature-Key'") != std::string::npos);

  // "none" and HS256 (the public key used as an HMAC secret) must never pass.
  for (const char* algorithm : {"none", "HS256"}) {
    CAPTURE(std::string(algorithm));
    header = decode_part(parts.header);
    header["alg"] = algorithm;
    token = encode_part(header) + "." + parts.payload + ".";
    message = failure_of(verify_access_token(token, jwks, expect));
    CHECK(message.find(std::string("unsupported signature algorithm '") + algorithm + "'") != std::string::npos);
  }
}

TEST_CASE("jwt: JWKS keys parse") {
  auto& emulator = aa::test::shared_emulator();
  auto emulator_jwks = Jwks::parse(emulator.jwks());
  CHECK(emulator_jwks.size() == 2);
  CHECK(emulator_jwks.find("JWT-Signature-Key", "RS256") != nullptr);
  CHECK(emulator_jwks.find("8878a23f-2489-4045-989e-4d2f3ec1ae1a", "ES256") != nullptr);
  CHECK(emulator_jwks.find("8878a23f-2489-4045-989e-4d2f3ec1ae1a", "RS256") == nullptr);

  auto eve_jwks = Jwks::parse(aa::test::read_file(aa::test::source_dir() / "tests/data/sso/jwks.json"));
  CHECK(eve_jwks.size() == 2);
  CHECK(eve_jwks.find("8878a23f-2489-4045-989e-4d2f3ec1ae1a", "ES256") != nullptr);

  // Unsupported key types are skipped, and a document without keys is an error.
  auto skipped = Jwks::parse(R"({"keys": [{"kty": "oct", "kid": "k", "alg": "HS256", "k": "c2VjcmV0"},
                                          {"kty": "EC", "crv": "P-384", "alg": "ES384", "kid": "p384"}]})");
  CHECK(skipped.size() == 0);
  CHECK_THROWS_AS(Jwks::parse("not json"), std::invalid_argument);
  CHECK_THROWS_AS(Jwks::parse(R"({"keys": {}})"), std::invalid_argument);
  CHECK_THROWS_AS(Jwks::parse("[]"), std::invalid_argument);
}

TEST_CASE("jwt: ES256 token verifies") {
  Es256Signer signer;
  auto jwks = Jwks::parse(signer.jwks("test-es256"));
  REQUIRE(jwks.size() == 1);
  auto expect = emulator_expectations();
  expect.required_scopes = {"publicData"};
  auto token = signer.sign("test-es256", eve_payload(expect.now));

  auto result = verify_access_token(token, jwks, expect);
  INFO("failure: " << failure_of(result));
  REQUIRE(std::holds_alternative<TokenClaims>(result));
  CHECK(std::get<TokenClaims>(result).character_id == sample::kaelen_brightwater);
  CHECK(std::get<TokenClaims>(result).owner_hash == "D9kBngGokQv/Iqcuu4iADq2NyZ0=");

  auto parts = split_jwt(token);
  auto tampered = parts.header + "." + parts.payload + "." + flip_middle_character(parts.signature);
  CHECK(failure_of(verify_access_token(tampered, jwks, expect)).find("signature is invalid") != std::string::npos);

  // A signature of the wrong length cannot be r||s.
  auto short_signature = parts.header + "." + parts.payload + "." + base64url_encode(std::string(63, 'x'));
  CHECK(failure_of(verify_access_token(short_signature, jwks, expect)).find("signature is invalid") !=
        std::string::npos);
}

TEST_CASE("jwt: claims must name the character") {
  Es256Signer signer;
  auto jwks = Jwks::parse(signer.jwks("test-es256"));
  auto expect = emulator_expectations();

  auto payload = eve_payload(expect.now);
  payload["sub"] = "2112000001";
  CHECK(failure_of(verify_access_token(signer.sign("test-es256", payload), jwks, expect)).find("sub claim") !=
        std::string::npos);

  payload = eve_payload(expect.now);
  payload["sub"] = "CHARACTER:EVE:abc";
  CHECK(failure_of(verify_access_token(signer.sign("test-es256", payload), jwks, expect)).find("no character id") !=
        std::string::npos);

  payload = eve_payload(expect.now);
  payload.erase("owner");
  CHECK(failure_of(verify_access_token(signer.sign("test-es256", payload), jwks, expect)).find("owner claim") !=
        std::string::npos);

  payload = eve_payload(expect.now);
  payload.erase("exp");
  CHECK(failure_of(verify_access_token(signer.sign("test-es256", payload), jwks, expect)).find("no exp claim") !=
        std::string::npos);
}

TEST_CASE("jwt: expiry allows the leeway") {
  auto& emulator = aa::test::shared_emulator();
  auto jwks = Jwks::parse(emulator.jwks());
  auto tokens = emulator.tokens_for(sample::kaelen_brightwater);
  auto expires_at = decode_part(split_jwt(tokens.access_token).payload).at("exp").to_number<long long>();
  auto expect = emulator_expectations();

  expect.leeway_seconds = 60;
  expect.now = expires_at + 60;
  CHECK(std::holds_alternative<TokenClaims>(verify_access_token(tokens.access_token, jwks, expect)));
  expect.now = expires_at + 61;
  CHECK(failure_of(verify_access_token(tokens.access_token, jwks, expect)).find("expired at " +
                                                                                 std::to_string(expires_at)) !=
        std::string::npos);

  expect.leeway_seconds = 0;
  expect.now = expires_at;
  CHECK(std::holds_alternative<TokenClaims>(verify_access_token(tokens.access_token, jwks, expect)));
  expect.now = expires_at + 1;
  CHECK(failure_of(verify_access_token(tokens.access_token, jwks, expect)).find("expired") != std::string::npos);
}
