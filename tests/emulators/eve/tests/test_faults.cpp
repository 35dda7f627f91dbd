#include "fault_state.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace aa::eve;
using namespace aa::eve::testing;

namespace {

aa::emulator::Response set_faults(TestEmulator& test, const std::string& body) {
    return test.send("POST", "/_emulator/faults", body);
}

}  // namespace

TEST_CASE("5xx fault fails the next N calls then recovers") {
    TestEmulator test;
    REQUIRE(set_faults(test, R"({"esi":"5xx","status":503,"count":2})").status == 200);
    CHECK(test.send("GET", "/latest/status/").status == 503);
    CHECK(test.send("GET", "/latest/status/").status == 503);
    CHECK(test.send("GET", "/latest/status/").status == 200);
    CHECK(test.emulator->requests.count("get_status") == 3);
}

TEST_CASE("esi down drops the connection until cleared") {
    TestEmulator test;
    set_faults(test, R"({"esi":"down"})");
    CHECK(test.send("GET", "/latest/status/").drop_connection);
    CHECK(test.send("POST", "/latest/characters/affiliation/", "[2112000001]").drop_connection);
    CHECK(test.send("GET", "/oauth/jwks").status == 200);

    test.send("DELETE", "/_emulator/faults");
    CHECK(test.send("GET", "/latest/status/").status == 200);
}

TEST_CASE("esi slow delays the answer") {
    TestEmulator test;
    set_faults(test, R"({"esi":"slow","delay_ms":3000})");
    auto response = test.send("GET", "/latest/status/");
    CHECK(response.status == 200);
    CHECK(response.delay == std::chrono::milliseconds(3000));
}

TEST_CASE("error_limited fault answers 420 with zero remain") {
    TestEmulator test;
    set_faults(test, R"({"esi":"error_limited","count":1})");
    auto limited = test.send("GET", "/latest/status/");
    CHECK(limited.status == 420);
    CHECK(limited.header("X-ESI-Error-Limit-Remain") == "0");
    CHECK(test.send("GET", "/latest/status/").status == 200);
}

TEST_CASE("100 errors in a minute trigger the error limit") {
    TestEmulator test;
    for (int i = 0; i < 100; ++i) {
        REQUIRE(test.send("GET", "/latest/characters/1/").status == 404);
    }
    auto limited = test.send("GET", "/latest/status/");
    CHECK(limited.status == 420);

    test.now += 60;
    auto recovered = test.send("GET", "/latest/status/");
    CHECK(recovered.status == 200);
    CHECK(recovered.header("X-ESI-Error-Limit-Remain") == "100");
}

TEST_CASE("sso down drops SSO but not ESI") {
    TestEmulator test;
    set_faults(test, R"({"sso":"down"})");
    CHECK(test.send("GET", "/oauth/jwks").drop_connection);
    CHECK(test.send("GET", "/latest/status/").status == 200);
}

TEST_CASE("reject_code fault makes the exchange invalid_grant") {
    TestEmulator test;
    auto code = test.authorize(kaelen);
    set_faults(test, R"({"sso":"reject_code"})");
    auto rejected = test.post_token_form("grant_type=authorization_code&code=" + code);
    CHECK(rejected.status == 400);
    CHECK(parse_body(rejected).at("error") == "invalid_grant");
}

TEST_CASE("token fault spoils only the next token") {
    TestEmulator test;
    set_faults(test, R"({"sso_token":"expired"})");
    auto spoiled = test.exchange(test.authorize(kaelen));
    CHECK_FALSE(verify_access_token(spoiled.at("access_token").as_string(), shared_test_key(), test.now)
                    .token.has_value());

    auto normal = test.exchange(test.authorize(kaelen));
    CHECK(verify_access_token(normal.at("access_token").as_string(), shared_test_key(), test.now)
              .token.has_value());
}

TEST_CASE("fault requests with bad values are rejected") {
    TestEmulator test;
    for (const auto* body : {R"({"esi":"bogus"})", R"({"esi":"5xx","status":404})", R"({"sso_token":"weird"})",
                             R"({"count":0,"esi":"5xx"})", R"({"unknown":1})", "[]", "{"}) {
        CAPTURE(std::string(body));
        CHECK(set_faults(test, body).status == 400);
    }
    auto state = parse_body(test.send("GET", "/_emulator/faults")).as_object();
    CHECK(state.at("esi").at("mode") == "normal");
    CHECK(state.at("esi").at("failures_left") == 0);
}
