#include "test_support.hpp"

#include "in_process_request.hpp"

#include <doctest/doctest.h>

namespace aa::discord_emulator::testing {

const WorldData& test_world() {
    static const WorldData data = load_world(AA_DISCORD_DATA_DIR);
    return data;
}

TestEmulator::TestEmulator() {
    emulator = std::make_unique<Emulator>(EmulatorConfig{}, test_world(), [this] { return now; });
    router = make_router(*emulator);
}

aa::emulator::Response TestEmulator::send(const std::string& method, const std::string& target,
                                          const std::string& body, std::map<std::string, std::string> headers,
                                          const std::string& remote_address) {
    auto request = aa::emulator::make_request(method, target, body, headers, remote_address);
    return handle_request(*emulator, router, request);
}

aa::emulator::Response TestEmulator::bot(const std::string& method, const std::string& path, const std::string& body) {
    return send(method, "/api/v10" + path, body,
                {{"Authorization", "Bot aa-discord-bot-token"}, {"Content-Type", "application/json"}});
}

std::string TestEmulator::user_token(const std::string& user_id, const std::string& scopes_json) {
    auto response = send("POST", "/_emulator/tokens", R"({"user_id":")" + user_id + R"(","scopes":)" + scopes_json + "}");
    REQUIRE(response.status == 200);
    return std::string(parse_body(response).at("access_token").as_string());
}

void TestEmulator::join(const std::string& user_id, const std::string& extra_json) {
    auto body = R"({"access_token":")" + user_token(user_id) + "\"" + (extra_json.empty() ? "" : "," + extra_json) + "}";
    auto response = bot("PUT", "/guilds/" + guild_id + "/members/" + user_id, body);
    INFO(response.body);
    REQUIRE(response.status == 201);
}

boost::json::object TestEmulator::member(const std::string& user_id) {
    auto response = bot("GET", "/guilds/" + guild_id + "/members/" + user_id);
    INFO(response.body);
    REQUIRE(response.status == 200);
    return parse_body(response).as_object();
}

std::string text(const boost::json::value& value) { return value.is_string() ? std::string(value.as_string()) : ""; }

}  // namespace aa::discord_emulator::testing
