#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace aa::discord_emulator::testing;

TEST_CASE("control API rejects other peers") {
    TestEmulator t;
    CHECK(t.send("GET", "/_emulator/state", "", {}, "192.0.2.7").status == 403);
    CHECK(t.send("GET", "/_emulator/state", "", {}, "::1").status == 200);

    // The fault and request-count routes come from the shared control API,
    // and the loopback check covers them too.
    CHECK(t.send("GET", "/_emulator/faults", "", {}, "192.0.2.7").status == 403);
    CHECK(t.send("POST", "/_emulator/faults", R"({"api":"down"})", {}, "192.0.2.7").status == 403);
    CHECK(t.send("DELETE", "/_emulator/requests", "", {}, "192.0.2.7").status == 403);
    CHECK(t.send("GET", "/_emulator/faults").status == 200);
}

TEST_CASE("control API rejects bodies that are not objects") {
    TestEmulator t;
    auto broken = t.send("POST", "/_emulator/faults", "{");
    CHECK(broken.status == 400);
    CHECK(broken.body.find("not valid JSON") != std::string::npos);
    auto array = t.send("POST", "/_emulator/members", "[]");
    CHECK(array.status == 400);
    CHECK(array.body.find("must be a JSON object") != std::string::npos);
}

TEST_CASE("faults reject unknown keys and values") {
    TestEmulator t;
    auto unknown = t.send("POST", "/_emulator/faults", R"({"esi":"down"})");
    CHECK(unknown.status == 400);
    CHECK(unknown.body.find("unknown key") != std::string::npos);
    CHECK(t.send("POST", "/_emulator/faults", R"({"rate_limit":"sometimes"})").status == 400);
    CHECK(t.send("POST", "/_emulator/faults", R"({"api":"5xx","status":404})").status == 400);
}

TEST_CASE("5xx fault fails the next calls only") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/faults", R"({"api":"5xx","status":502,"count":2})").status == 200);
    CHECK(t.bot("GET", "/guilds/" + guild_id).status == 502);
    CHECK(t.bot("GET", "/guilds/" + guild_id).status == 502);
    CHECK(t.bot("GET", "/guilds/" + guild_id).status == 200);
}

TEST_CASE("api down drops connections until normal") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/faults", R"({"api":"down"})").status == 200);
    CHECK(t.bot("GET", "/guilds/" + guild_id).drop_connection);
    REQUIRE(t.send("POST", "/_emulator/faults", R"({"api":"normal"})").status == 200);
    CHECK(t.bot("GET", "/guilds/" + guild_id).status == 200);
}

TEST_CASE("inserted role above the bot is refused to the bot") {
    TestEmulator t;
    auto inserted = t.send("POST", "/_emulator/roles", R"({"name":"Directors","position":5})");
    REQUIRE(inserted.status == 200);
    std::string role_id(parse_body(inserted).at("id").as_string());
    t.join(nelly_id);
    auto response = t.bot("PUT", "/guilds/" + guild_id + "/members/" + nelly_id + "/roles/" + role_id);
    CHECK(response.status == 403);
}

TEST_CASE("reset restores the world and limits") {
    TestEmulator t;
    t.join(nelly_id);
    REQUIRE(t.send("POST", "/_emulator/limits", R"({"global":1})").status == 200);
    REQUIRE(t.send("POST", "/_emulator/reset").status == 200);
    CHECK(t.bot("GET", "/guilds/" + guild_id + "/members/" + nelly_id).status == 404);
    CHECK(parse_body(t.send("GET", "/_emulator/limits")).at("global") == 50);
}

TEST_CASE("requests are counted per route without control routes") {
    TestEmulator t;
    t.bot("GET", "/guilds/" + guild_id);
    t.bot("GET", "/guilds/" + guild_id);
    t.send("GET", "/_emulator/state");
    auto counts = parse_body(t.send("GET", "/_emulator/requests")).as_object();
    CHECK(counts.at("total") == 2);
    CHECK(counts.at("routes").at("get_guild") == 2);
    REQUIRE(t.send("DELETE", "/_emulator/requests").status == 200);
    CHECK(parse_body(t.send("GET", "/_emulator/requests")).at("total") == 0);
}

TEST_CASE("state lists members with roles") {
    TestEmulator t;
    auto state = parse_body(t.send("GET", "/_emulator/state")).as_object();
    CHECK(text(state.at("guild").at("id")) == guild_id);
    CHECK(text(state.at("bot_id")) == bot_id);
    CHECK(state.at("members").as_array().size() == 2);
}

TEST_CASE("generated members refuse an id that exists and bad bodies") {
    TestEmulator t;
    auto generate = [&](const std::string& body) { return t.send("POST", "/_emulator/members/generate", body); };
    REQUIRE(generate(R"({"first_id":"1200000000000000001","count":2})").status == 200);
    auto taken = generate(R"({"first_id":"1200000000000000002","count":2})");
    CHECK(taken.status == 400);
    CHECK(taken.body.find("1200000000000000002 exists already") != std::string::npos);
    CHECK(generate(R"({"first_id":"9x","count":2})").status == 400);
    CHECK(generate(R"({"first_id":"-1","count":1})").status == 400);
    CHECK(generate(R"({"first_id":" 1200000000000000010","count":1})").status == 400);
    CHECK(generate(R"({"first_id":"+1200000000000000010","count":1})").status == 400);
    CHECK(generate(R"({"first_id":"18446744073709551616","count":1})").status == 400);
    CHECK(generate(R"({"first_id":"1200000000000000010","count":0})").status == 400);
    CHECK(generate(R"({"first_id":"1200000000000000010","count":1,"roles":["1"]})").status == 400);
    CHECK(generate(R"({"first_id":"1200000000000000010","count":1,"roles":[1]})").status == 400);
    CHECK(parse_body(t.send("GET", "/_emulator/state")).at("members").as_array().size() == 4);
}
