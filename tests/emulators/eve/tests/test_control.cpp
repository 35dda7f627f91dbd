#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace aa::eve;
using namespace aa::eve::testing;

TEST_CASE("moving a character to Doomheim drops its alliance") {
    TestEmulator test;
    auto response = test.send("POST", "/_emulator/characters/2112000001", R"({"corporation_id":1000001})");
    REQUIRE(response.status == 200);
    auto body = parse_body(response).as_object();
    CHECK(body.at("corporation_id") == 1000001);
    CHECK(body.at("alliance_id").is_null());

    auto affiliation = parse_body(test.send("POST", "/latest/characters/affiliation/", "[2112000001]"));
    CHECK(affiliation.as_array().at(0) ==
          boost::json::value({{"character_id", kaelen}, {"corporation_id", 1000001}}));
}

TEST_CASE("moving to an alliance corporation takes its alliance") {
    TestEmulator test;
    test.send("POST", "/_emulator/characters/2112000005", R"({"corporation_id":98179071})");
    auto body = parse_body(test.send("GET", "/latest/characters/2112000005/")).as_object();
    CHECK(body.at("alliance_id") == 150097440);
}

TEST_CASE("character updates reject unknown references") {
    TestEmulator test;
    CHECK(test.send("POST", "/_emulator/characters/2112000001", R"({"corporation_id":42})").status == 400);
    CHECK(test.send("POST", "/_emulator/characters/2112000001", R"({"faction_id":1})").status == 400);
    CHECK(test.send("POST", "/_emulator/characters/2112000001", R"({"owner_hash":""})").status == 400);
    CHECK(test.send("POST", "/_emulator/characters/2112000001", R"({"name":"x"})").status == 400);
    CHECK(test.send("POST", "/_emulator/characters/42", R"({"owner_hash":"x"})").status == 404);

    auto body = parse_body(test.send("GET", "/_emulator/characters/2112000001")).as_object();
    CHECK(body.at("corporation_id") == 98370861);
}

TEST_CASE("reset restores characters and clears faults") {
    TestEmulator test;
    test.send("POST", "/_emulator/characters/2112000004", R"({"owner_hash":"changed"})");
    test.send("POST", "/_emulator/faults", R"({"esi":"down"})");
    CHECK(test.send("POST", "/_emulator/reset").status == 200);

    auto body = parse_body(test.send("GET", "/_emulator/characters/2112000004")).as_object();
    CHECK(body.at("owner_hash") == "GjyIlnidvFs+z7HJBZY7cAuCiq8=");
    CHECK(test.send("GET", "/latest/status/").status == 200);
}

TEST_CASE("request counts per route") {
    TestEmulator test;
    test.send("GET", "/latest/status/");
    test.send("GET", "/v1/status/");
    test.send("POST", "/latest/characters/affiliation/", "[2112000001]");
    test.send("GET", "/_emulator/faults");

    auto counts = parse_body(test.send("GET", "/_emulator/requests")).as_object();
    CHECK(counts.at("total") == 3);
    CHECK(counts.at("routes").at("get_status") == 2);
    CHECK(counts.at("routes").at("post_characters_affiliation") == 1);

    test.send("DELETE", "/_emulator/requests");
    CHECK(parse_body(test.send("GET", "/_emulator/requests")).at("total") == 0);
}

TEST_CASE("control API refuses non-loopback peers") {
    TestEmulator test;
    auto response = test.send("POST", "/_emulator/reset", "", {}, "192.0.2.7");
    CHECK(response.status == 403);
}

TEST_CASE("list of characters names all samples") {
    TestEmulator test;
    auto list = parse_body(test.send("GET", "/_emulator/characters")).at("characters").as_array();
    CHECK(list.size() == 7);
}

TEST_CASE("generated characters answer affiliation") {
    TestEmulator test;
    auto generated = test.send("POST", "/_emulator/characters/generate", R"({"first_id": 3000000001, "count": 2000})");
    REQUIRE(generated.status == 200);
    auto affiliation = parse_body(test.send("POST", "/latest/characters/affiliation/", "[3000000001, 3000002000]"));
    REQUIRE(affiliation.as_array().size() == 2);
    CHECK(affiliation.as_array().at(0).at("character_id") == 3000000001LL);
    auto sheet = parse_body(test.send("GET", "/latest/characters/3000000002/")).as_object();
    CHECK(sheet.at("name") == "Generated Pilot 3000000002");

    // Ids in use and bad counts are rejected; reset removes the generated ones.
    CHECK(test.send("POST", "/_emulator/characters/generate", R"({"first_id": 3000000001, "count": 1})").status == 400);
    CHECK(test.send("POST", "/_emulator/characters/generate", R"({"first_id": 1, "count": 0})").status == 400);
    CHECK(test.send("POST", "/_emulator/characters/generate", R"({"count": 5})").status == 400);
    test.send("POST", "/_emulator/reset");
    CHECK(test.send("GET", "/latest/characters/3000000002/").status == 404);
}
