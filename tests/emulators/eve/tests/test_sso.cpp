#include "access_token.hpp"
#include "base64.hpp"
#include "form_fields.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <openssl/evp.h>

using namespace aa::eve;
using namespace aa::eve::testing;

namespace {

std::string error_code_of(const aa::emulator::Response& response) {
    return std::string(parse_body(response).as_object().at("error").as_string());
}

std::string refresh_form(const std::string& token) {
    return "grant_type=refresh_token&refresh_token=" + aa::emulator::encode_query_value(token);
}

}  // namespace

TEST_CASE("metadata points at the emulator and keeps EVE's issuer") {
    TestEmulator test;
    auto body = parse_body(test.send("GET", "/.well-known/oauth-authorization-server")).as_object();
    CHECK(body.at("issuer") == "https://login.eveonline.com");
    CHECK(body.at("token_endpoint") == "http://127.0.0.1:8080/v2/oauth/token");
    CHECK(body.at("authorization_endpoint") == "http://127.0.0.1:8080/v2/oauth/authorize");
    CHECK(body.at("jwks_uri") == "http://127.0.0.1:8080/oauth/jwks");
    CHECK(body.at("revocation_endpoint") == "http://127.0.0.1:8080/v2/oauth/revoke");

    auto openid = test.send("GET", "/.well-known/openid-configuration");
    CHECK(parse_body(openid) == boost::json::value(body));
}

TEST_CASE("jwks holds the signing key and the captured ES256 key") {
    TestEmulator test;
    auto body = parse_body(test.send("GET", "/oauth/jwks")).as_object();
    CHECK(body.at("SkipUnresolvedJsonWebKeys") == true);
    const auto& keys = body.at("keys").as_array();
    REQUIRE(keys.size() == 2);
    CHECK(keys[0].at("kid") == "JWT-Signature-Key");
    CHECK(keys[0].at("e") == "AQAB");
    CHECK(base64url_decode(keys[0].at("n").as_string()) == std::optional(shared_test_key().modulus()));
    CHECK(keys[1].at("alg") == "ES256");
    CHECK(keys[1].at("crv") == "P-256");
}

TEST_CASE("authorize without character shows an escaped chooser") {
    TestEmulator test;
    auto response = test.send("GET", "/v2/oauth/authorize?response_type=code&client_id=aa-demo-client"
                                     "&redirect_uri=http://localhost/cb&state=%3Cx%3E&scope=publicData");
    CHECK(response.status == 200);
    CHECK(response.body.find("Mira O&#39;Sullivan") != std::string::npos);
    CHECK(response.body.find("character_id=2112000004") != std::string::npos);
    CHECK(response.body.find("<x>") == std::string::npos);
}

TEST_CASE("authorize rejects bad parameters naming the value") {
    TestEmulator test;
    const std::string good = "response_type=code&client_id=aa-demo-client&redirect_uri=http://localhost/cb&state=s";

    auto wrong_client = test.send("GET", "/v2/oauth/authorize?response_type=code&client_id=%3Cevil%3E"
                                         "&redirect_uri=http://localhost/cb&state=s");
    CHECK(wrong_client.status == 400);
    CHECK(wrong_client.body.find("&lt;evil&gt;") != std::string::npos);

    CHECK(test.send("GET", "/v2/oauth/authorize?response_type=token&client_id=aa-demo-client"
                           "&redirect_uri=http://localhost/cb&state=s").status == 400);
    CHECK(test.send("GET", "/v2/oauth/authorize?response_type=code&client_id=aa-demo-client"
                           "&state=s").status == 400);
    CHECK(test.send("GET", "/v2/oauth/authorize?response_type=code&client_id=aa-demo-client"
                           "&redirect_uri=javascript:alert(1)&state=s").status == 400);
    CHECK(test.send("GET", "/v2/oauth/authorize?response_type=code&client_id=aa-demo-client"
                           "&redirect_uri=http://localhost/cb").status == 400);

    auto unknown_character = test.send("GET", "/v2/oauth/authorize?" + good + "&character_id=12345");
    CHECK(unknown_character.status == 400);
    CHECK(unknown_character.body.find("12345") != std::string::npos);
}

TEST_CASE("code exchange returns EVE's token response") {
    TestEmulator test;
    auto tokens = test.exchange(test.authorize(mira, "publicData esi-location.read_location.v1"));
    CHECK(tokens.at("expires_in") == 1199);
    CHECK(tokens.at("token_type") == "Bearer");
    CHECK_FALSE(tokens.at("refresh_token").as_string().empty());

    auto check = verify_access_token(tokens.at("access_token").as_string(), shared_test_key(), test.now);
    REQUIRE(check.token.has_value());
    CHECK(check.token->subject.character_id == mira);
    CHECK(check.token->subject.scopes ==
          std::vector<std::string>{"publicData", "esi-location.read_location.v1"});
}

TEST_CASE("code works only once") {
    TestEmulator test;
    auto code = test.authorize(kaelen);
    CHECK(test.post_token_form("grant_type=authorization_code&code=" + code).status == 200);

    auto reused = test.post_token_form("grant_type=authorization_code&code=" + code);
    CHECK(reused.status == 400);
    CHECK(error_code_of(reused) == "invalid_grant");
}

TEST_CASE("code expires after five minutes") {
    TestEmulator test;
    auto code = test.authorize(kaelen);
    test.now += 300;
    auto late = test.post_token_form("grant_type=authorization_code&code=" + code);
    CHECK(late.status == 400);
    CHECK(error_code_of(late) == "invalid_grant");
}

TEST_CASE("unknown code is invalid_grant") {
    TestEmulator test;
    auto response = test.post_token_form("grant_type=authorization_code&code=nope");
    CHECK(response.status == 400);
    CHECK(error_code_of(response) == "invalid_grant");
}

TEST_CASE("refresh rotates the refresh token") {
    TestEmulator test;
    auto first = test.exchange(test.authorize(tovin));
    std::string old_token(first.at("refresh_token").as_string());

    auto refreshed = test.post_token_form(refresh_form(old_token));
    REQUIRE(refreshed.status == 200);
    std::string new_token(parse_body(refreshed).at("refresh_token").as_string());
    CHECK(new_token != old_token);

    auto reuse_old = test.post_token_form(refresh_form(old_token));
    CHECK(reuse_old.status == 400);
    CHECK(error_code_of(reuse_old) == "invalid_grant");
    CHECK(test.post_token_form(refresh_form(new_token)).status == 200);
}

TEST_CASE("refresh with a scope subset narrows the access token") {
    TestEmulator test;
    auto tokens = test.exchange(test.authorize(tovin, "publicData esi-location.read_location.v1"));
    auto refreshed = test.post_token_form(refresh_form(std::string(tokens.at("refresh_token").as_string())) +
                                          "&scope=publicData");
    REQUIRE(refreshed.status == 200);
    auto check = verify_access_token(parse_body(refreshed).at("access_token").as_string(),
                                     shared_test_key(), test.now);
    REQUIRE(check.token.has_value());
    CHECK(check.token->subject.scopes == std::vector<std::string>{"publicData"});

    // The new refresh token still carries the whole grant.
    auto again = test.post_token_form(refresh_form(std::string(parse_body(refreshed).at("refresh_token").as_string())));
    auto full = verify_access_token(parse_body(again).at("access_token").as_string(), shared_test_key(), test.now);
    REQUIRE(full.token.has_value());
    CHECK(full.token->subject.scopes.size() == 2);
}

TEST_CASE("refresh rejects a scope that was not granted") {
    TestEmulator test;
    auto tokens = test.exchange(test.authorize(tovin));
    std::string token(tokens.at("refresh_token").as_string());
    auto response = test.post_token_form(refresh_form(token) + "&scope=esi-wallet.read_character_wallet.v1");
    CHECK(response.status == 400);
    CHECK(error_code_of(response) == "invalid_scope");
    CHECK(test.post_token_form(refresh_form(token)).status == 200);
}

TEST_CASE("revoke makes the refresh token unusable") {
    TestEmulator test;
    auto tokens = test.exchange(test.authorize(ilse));
    std::string token(tokens.at("refresh_token").as_string());

    auto revoke = test.send("POST", "/v2/oauth/revoke",
                            "token_type_hint=refresh_token&token=" + aa::emulator::encode_query_value(token),
                            {{"Content-Type", "application/x-www-form-urlencoded"},
                             {"Authorization", "Basic " + base64_encode("aa-demo-client:aa-demo-secret")}});
    CHECK(revoke.status == 200);
    CHECK(test.post_token_form(refresh_form(token)).status == 400);

    auto unknown = test.send("POST", "/v2/oauth/revoke", "token_type_hint=refresh_token&token=unknown",
                             {{"Content-Type", "application/x-www-form-urlencoded"},
                              {"Authorization", "Basic " + base64_encode("aa-demo-client:aa-demo-secret")}});
    CHECK(unknown.status == 200);
}

TEST_CASE("wrong client credentials are invalid_client") {
    TestEmulator test;
    auto code = test.authorize(kaelen);
    auto wrong_secret = test.post_token_form("grant_type=authorization_code&code=" + code,
                                             "aa-demo-client:wrong");
    CHECK(wrong_secret.status == 401);
    CHECK(error_code_of(wrong_secret) == "invalid_client");

    auto no_auth = test.post_token_form("grant_type=authorization_code&code=" + code, "");
    CHECK(no_auth.status == 401);

    // The failed attempts did not use up the code.
    CHECK(test.post_token_form("grant_type=authorization_code&code=" + code).status == 200);
}

TEST_CASE("client_secret_post is accepted") {
    TestEmulator test;
    auto code = test.authorize(kaelen);
    auto response = test.post_token_form("grant_type=authorization_code&client_id=aa-demo-client"
                                         "&client_secret=aa-demo-secret&code=" + code, "");
    CHECK(response.status == 200);
}

TEST_CASE("token endpoint accepts only form bodies") {
    TestEmulator test;
    auto response = test.send("POST", "/v2/oauth/token", R"({"grant_type":"authorization_code"})",
                              {{"Content-Type", "application/json"},
                               {"Authorization", "Basic " + base64_encode("aa-demo-client:aa-demo-secret")}});
    CHECK(response.status == 400);
    CHECK(error_code_of(response) == "invalid_request");
}

TEST_CASE("unknown grant type is named") {
    TestEmulator test;
    auto response = test.post_token_form("grant_type=password");
    CHECK(response.status == 400);
    CHECK(error_code_of(response) == "unsupported_grant_type");
    CHECK(response.body.find("password") != std::string::npos);
}

TEST_CASE("PKCE public client exchanges a code with its verifier") {
    TestEmulator test;
    std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(verifier.data(), verifier.size(), digest, &length, EVP_sha256(), nullptr);
    auto challenge = base64url_encode(std::string(reinterpret_cast<char*>(digest), length));
    CHECK(challenge == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");  // RFC 7636 appendix B

    auto authorize = test.send("GET", "/v2/oauth/authorize?response_type=code&client_id=aa-demo-client"
                                      "&redirect_uri=http://localhost/cb&state=s&character_id=2112000001"
                                      "&code_challenge_method=S256&code_challenge=" + challenge);
    REQUIRE(authorize.status == 302);
    auto location = authorize.header("Location");
    auto code = location.substr(location.find("code=") + 5, location.find('&', location.find("code=")) -
                                                                 location.find("code=") - 5);

    auto wrong = test.post_token_form("grant_type=authorization_code&client_id=aa-demo-client"
                                      "&code_verifier=wrong&code=" + code, "");
    CHECK(wrong.status == 400);

    auto fresh = test.send("GET", "/v2/oauth/authorize?response_type=code&client_id=aa-demo-client"
                                  "&redirect_uri=http://localhost/cb&state=s&character_id=2112000001"
                                  "&code_challenge_method=S256&code_challenge=" + challenge);
    location = fresh.header("Location");
    code = location.substr(location.find("code=") + 5, location.find('&', location.find("code=")) -
                                                            location.find("code=") - 5);
    auto right = test.post_token_form("grant_type=authorization_code&client_id=aa-demo-client"
                                      "&code_verifier=" + verifier + "&code=" + code, "");
    CHECK(right.status == 200);
}

TEST_CASE("token carries the current owner hash") {
    TestEmulator test;
    test.send("POST", "/_emulator/characters/2112000001", R"({"owner_hash":"bmV3IG93bmVy"})");
    auto tokens = test.exchange(test.authorize(kaelen));
    auto check = verify_access_token(tokens.at("access_token").as_string(), shared_test_key(), test.now);
    REQUIRE(check.token.has_value());
    CHECK(check.token->subject.owner_hash == "bmV3IG93bmVy");
}

TEST_CASE("verify endpoint maps claims to the legacy fields") {
    TestEmulator test;
    auto tokens = test.exchange(test.authorize(mira, "publicData esi-location.read_location.v1"));
    auto response = test.send("GET", "/oauth/verify", "",
                              {{"Authorization", "Bearer " + std::string(tokens.at("access_token").as_string())}});
    REQUIRE(response.status == 200);
    auto body = parse_body(response).as_object();
    CHECK(body.at("CharacterID") == mira);
    CHECK(body.at("CharacterName") == "Mira O'Sullivan");
    CHECK(body.at("Scopes") == "publicData esi-location.read_location.v1");

    CHECK(test.send("GET", "/oauth/verify").status == 401);
}
