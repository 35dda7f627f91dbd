#include "access_token.hpp"
#include "base64.hpp"
#include "jwt.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

using namespace aa::eve;
using aa::eve::testing::shared_test_key;

namespace {

constexpr std::int64_t now = 1'800'000'000;

AccessTokenSubject mira_subject(std::vector<std::string> scopes) {
    return AccessTokenSubject{2112000004, "Mira O'Sullivan", "GjyIlnidvFs+z7HJBZY7cAuCiq8=",
                              "aa-demo-client", std::move(scopes)};
}

boost::json::object payload_of(const std::string& token) {
    std::string error;
    auto decoded = decode_jwt(token, error);
    REQUIRE_MESSAGE(decoded.has_value(), error);
    return decoded->payload;
}

}  // namespace

TEST_CASE("jwt sign and verify round trip") {
    boost::json::object header{{"alg", "RS256"}, {"kid", "JWT-Signature-Key"}, {"typ", "JWT"}};
    boost::json::object payload{{"sub", "x"}};
    auto token = sign_jwt(header, payload, shared_test_key());

    std::string error;
    auto decoded = decode_jwt(token, error);
    REQUIRE(decoded.has_value());
    CHECK(decoded->header == header);
    CHECK(decoded->payload == payload);
    CHECK(shared_test_key().verify_rs256(decoded->signing_input, decoded->signature));
    CHECK(decoded->signature.size() == 256);
}

TEST_CASE("jwt verification fails for a changed payload") {
    auto token = issue_access_token(mira_subject({"publicData"}), shared_test_key(), now);
    auto first_dot = token.find('.');
    auto second_dot = token.find('.', first_dot + 1);

    auto payload = payload_of(token);
    payload["name"] = "Someone Else";
    auto forged = token.substr(0, first_dot + 1) + base64url_encode(boost::json::serialize(payload)) +
                  token.substr(second_dot);

    auto check = verify_access_token(forged, shared_test_key(), now);
    CHECK_FALSE(check.token.has_value());
    CHECK(check.error == "token signature is invalid");
}

TEST_CASE("jwt verification fails with another key") {
    auto token = issue_access_token(mira_subject({"publicData"}), shared_test_key(), now);
    auto other_key = RsaKey::generate(2048);
    CHECK_FALSE(verify_access_token(token, other_key, now).token.has_value());
}

TEST_CASE("jwt decode rejects malformed tokens") {
    std::string error;
    CHECK_FALSE(decode_jwt("abc", error).has_value());
    CHECK_FALSE(decode_jwt("a.b.c.d", error).has_value());
    CHECK_FALSE(decode_jwt("!!.e30.", error).has_value());
    CHECK_FALSE(decode_jwt(base64url_encode("[1]") + ".e30.", error).has_value());
    CHECK(error == "token header is not a JSON object");
}

TEST_CASE("access token has EVE's claim layout") {
    auto token = issue_access_token(mira_subject({"publicData", "esi-location.read_location.v1"}),
                                    shared_test_key(), now);
    std::string error;
    auto decoded = decode_jwt(token, error);
    REQUIRE(decoded.has_value());

    CHECK(decoded->header == boost::json::object{{"alg", "RS256"}, {"kid", "JWT-Signature-Key"}, {"typ", "JWT"}});
    const auto& payload = decoded->payload;
    CHECK(payload.at("scp") == boost::json::array{"publicData", "esi-location.read_location.v1"});
    CHECK(payload.at("sub") == "CHARACTER:EVE:2112000004");
    CHECK(payload.at("azp") == "aa-demo-client");
    CHECK(payload.at("aud") == boost::json::array{"aa-demo-client", "EVE Online"});
    CHECK(payload.at("name") == "Mira O'Sullivan");
    CHECK(payload.at("owner") == "GjyIlnidvFs+z7HJBZY7cAuCiq8=");
    CHECK(payload.at("iss") == "https://login.eveonline.com");
    CHECK(payload.at("kid") == "JWT-Signature-Key");
    CHECK(payload.at("tenant") == "tranquility");
    CHECK(payload.at("tier") == "live");
    CHECK(payload.at("region") == "world");
    CHECK(payload.at("iat").as_int64() == now);
    CHECK(payload.at("exp").as_int64() == now + 1200);
    CHECK(payload.at("jti").as_string().size() == 36);
    CHECK(token.find('=') == std::string::npos);
}

TEST_CASE("access token writes a single scope as a string") {
    auto payload = payload_of(issue_access_token(mira_subject({"publicData"}), shared_test_key(), now));
    CHECK(payload.at("scp") == "publicData");
}

TEST_CASE("access token without scopes has no scp claim") {
    auto payload = payload_of(issue_access_token(mira_subject({}), shared_test_key(), now));
    CHECK_FALSE(payload.contains("scp"));
}

TEST_CASE("verified token returns subject and scopes") {
    auto token = issue_access_token(mira_subject({"a", "b"}), shared_test_key(), now);
    auto check = verify_access_token(token, shared_test_key(), now + 10);
    REQUIRE_MESSAGE(check.token.has_value(), check.error);
    CHECK(check.token->subject.character_id == 2112000004);
    CHECK(check.token->subject.owner_hash == "GjyIlnidvFs+z7HJBZY7cAuCiq8=");
    CHECK(check.token->subject.scopes == std::vector<std::string>{"a", "b"});
    CHECK(check.token->expires_at == now + 1200);
}

TEST_CASE("token expires after 1200 seconds") {
    auto token = issue_access_token(mira_subject({"a"}), shared_test_key(), now);
    CHECK(verify_access_token(token, shared_test_key(), now + 1199).token.has_value());
    CHECK_FALSE(verify_access_token(token, shared_test_key(), now + 1200).token.has_value());
}

TEST_CASE("token defects break the expected check") {
    const auto& key = shared_test_key();
    auto subject = mira_subject({"a"});

    auto bad_signature = issue_access_token(subject, key, now, TokenDefect::invalid_signature);
    CHECK(verify_access_token(bad_signature, key, now).error == "token signature is invalid");

    auto wrong_issuer = issue_access_token(subject, key, now, TokenDefect::wrong_issuer);
    CHECK(verify_access_token(wrong_issuer, key, now).error.find("issuer") != std::string::npos);

    auto expired = issue_access_token(subject, key, now, TokenDefect::expired);
    CHECK(verify_access_token(expired, key, now).error.find("expired") != std::string::npos);

    auto no_scopes = issue_access_token(subject, key, now, TokenDefect::missing_scopes);
    CHECK_FALSE(payload_of(no_scopes).contains("scp"));

    auto wrong_audience = issue_access_token(subject, key, now, TokenDefect::wrong_audience);
    auto audience = payload_of(wrong_audience).at("aud").as_array();
    CHECK(audience.at(0) != "aa-demo-client");
    CHECK(audience.at(1) == "EVE Online");
}
