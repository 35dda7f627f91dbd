#include "test_support.hpp"

#include "base64.hpp"
#include "form_fields.hpp"
#include "in_process_request.hpp"
#include "json_response.hpp"

#include <doctest/doctest.h>

namespace aa::eve::testing {

const RsaKey& shared_test_key() {
    static const RsaKey key = RsaKey::generate(2048);
    return key;
}

const UniverseData& test_universe() {
    static const UniverseData data = load_universe(AA_TEST_DATA_DIR);
    return data;
}

TestEmulator::TestEmulator() {
    EmulatorConfig config;
    config.base_url = "http://127.0.0.1:8080";
    emulator = std::make_unique<Emulator>(config, shared_test_key(), test_universe(),
                                          [this] { return now; });
    router = make_router(*emulator);
}

aa::emulator::Response TestEmulator::send(const std::string& method, const std::string& target,
                                          const std::string& body,
                                          const std::map<std::string, std::string>& headers,
                                          const std::string& remote_address) {
    auto request = aa::emulator::make_request(method, target, body, headers, remote_address);
    return handle_request(*emulator, router, request);
}

aa::emulator::Response TestEmulator::post_token_form(const std::string& form_body,
                                                     const std::string& basic_credentials) {
    std::map<std::string, std::string> headers{
        {"Content-Type", "application/x-www-form-urlencoded"}};
    if (!basic_credentials.empty()) {
        headers["Authorization"] = "Basic " + base64_encode(basic_credentials);
    }
    return send("POST", "/v2/oauth/token", form_body, headers);
}

std::string TestEmulator::authorize(long long character_id, const std::string& scope) {
    auto response = send("GET", "/v2/oauth/authorize?response_type=code&client_id=aa-demo-client"
                                "&redirect_uri=http%3A%2F%2Flocalhost%2Fcallback&state=s1&scope=" +
                                    aa::emulator::encode_query_value(scope) +
                                    "&character_id=" + std::to_string(character_id));
    REQUIRE(response.status == 302);
    auto location = response.header("Location");
    auto query = aa::emulator::parse_form_fields(location.substr(location.find('?') + 1));
    REQUIRE(query.has_value());
    CHECK(query->at("state") == "s1");
    return query->at("code");
}

boost::json::object TestEmulator::exchange(const std::string& code) {
    auto response = post_token_form("grant_type=authorization_code&code=" + code);
    REQUIRE(response.status == 200);
    return parse_body(response).as_object();
}

}  // namespace aa::eve::testing
