#include "esi_headers.hpp"
#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace aa::eve;
using namespace aa::eve::testing;

namespace {

std::string access_token_for(TestEmulator& test, long long character_id, const std::string& scope) {
    auto tokens = test.exchange(test.authorize(character_id, scope));
    return std::string(tokens.at("access_token").as_string());
}

}  // namespace

TEST_CASE("character info under latest and versioned routes") {
    TestEmulator test;
    for (const auto* target : {"/latest/characters/2112000001/", "/v5/characters/2112000001/",
                               "/characters/2112000001", "/v4/characters/2112000001"}) {
        CAPTURE(std::string(target));
        auto response = test.send("GET", target);
        REQUIRE(response.status == 200);
        auto body = parse_body(response).as_object();
        CHECK(body.at("name") == "Kaelen Brightwater");
        CHECK(body.at("corporation_id") == 98370861);
        CHECK(body.at("alliance_id") == 1354830081);
        CHECK_FALSE(body.contains("faction_id"));
    }
}

TEST_CASE("militia character carries faction_id") {
    TestEmulator test;
    auto body = parse_body(test.send("GET", "/latest/characters/2112000006/")).as_object();
    CHECK(body.at("corporation_id") == 1000182);
    CHECK(body.at("faction_id") == 500002);
    CHECK_FALSE(body.contains("alliance_id"));
}

TEST_CASE("unknown character is 404 with ESI's error shape") {
    TestEmulator test;
    auto response = test.send("GET", "/latest/characters/2112999999/");
    CHECK(response.status == 404);
    CHECK(parse_body(response) == boost::json::value({{"error", "Character not found"}}));

    CHECK(test.send("GET", "/latest/characters/abc/").status == 400);
}

TEST_CASE("affiliation lists each character") {
    TestEmulator test;
    auto response = test.send("POST", "/v2/characters/affiliation/", "[2112000001, 2112000006, 2112000007]");
    REQUIRE(response.status == 200);
    auto list = parse_body(response).as_array();
    REQUIRE(list.size() == 3);
    CHECK(list[0] == boost::json::value({{"character_id", kaelen}, {"corporation_id", 98370861},
                                         {"alliance_id", 1354830081}}));
    CHECK(list[1] == boost::json::value({{"character_id", dagny}, {"corporation_id", 1000182},
                                         {"faction_id", 500002}}));
    CHECK(list[2] == boost::json::value({{"character_id", bram}, {"corporation_id", 1000001}}));
}

TEST_CASE("affiliation with one unknown id returns 404 and no list") {
    TestEmulator test;
    auto response = test.send("POST", "/latest/characters/affiliation/", "[2112000001, 90000001]");
    CHECK(response.status == 404);
    auto message = std::string(parse_body(response).at("error").as_string());
    CHECK(message.find("All characters must exist") != std::string::npos);
    CHECK(message.find("90000001") != std::string::npos);
}

TEST_CASE("affiliation rejects malformed bodies with 400") {
    TestEmulator test;
    for (const auto* body : {"", "{", "{}", "[]", "[\"2112000001\"]", "[2112000001, 2112000001]", "[-5]",
                             "[1.5]"}) {
        CAPTURE(std::string(body));
        CHECK(test.send("POST", "/latest/characters/affiliation/", body).status == 400);
    }
}

TEST_CASE("affiliation rejects more than 1000 ids") {
    TestEmulator test;
    std::string body = "[";
    for (int i = 1; i <= 1001; ++i) {
        body += (i == 1 ? "" : ",") + std::to_string(2112000000 + i);
    }
    body += "]";
    CHECK(test.send("POST", "/latest/characters/affiliation/", body).status == 400);
}

TEST_CASE("corporations serve recorded and NPC bodies") {
    TestEmulator test;
    auto karmafleet = parse_body(test.send("GET", "/v5/corporations/98370861/")).as_object();
    CHECK(karmafleet.at("name") == "KarmaFleet");
    CHECK(karmafleet.at("alliance_id") == 1354830081);

    auto doomheim = parse_body(test.send("GET", "/v5/corporations/1000001/")).as_object();
    CHECK(doomheim.at("name") == "Doomheim");
    CHECK(doomheim.at("ticker") == "666");

    auto school = parse_body(test.send("GET", "/v5/corporations/1000044/")).as_object();
    CHECK(school.at("name") == "School of Applied Knowledge");
    CHECK(school.at("faction_id") == 500001);
    CHECK(school.at("ticker") == "SOAK");

    CHECK(test.send("GET", "/v5/corporations/98000000/").status == 404);
}

TEST_CASE("alliances serve recorded bodies") {
    TestEmulator test;
    for (auto [id, name] : {std::pair{1354830081, "Goonswarm Federation"}, {99003214, "Brave Collective"},
                            {150097440, "Get Off My Lawn"}, {434243723, "C C P Alliance"}}) {
        auto response = test.send("GET", "/v3/alliances/" + std::to_string(id) + "/");
        REQUIRE(response.status == 200);
        CHECK(parse_body(response).at("name") == name);
    }
    CHECK(test.send("GET", "/v3/alliances/99999999/").status == 404);
}

TEST_CASE("factions list has ESI's fields") {
    TestEmulator test;
    auto factions = parse_body(test.send("GET", "/v2/universe/factions/")).as_array();
    CHECK(factions.size() == 27);
    const auto& caldari = factions.at(0).as_object();
    CHECK(caldari.at("faction_id") == 500001);
    CHECK(caldari.at("name") == "Caldari State");
    CHECK(caldari.at("corporation_id") == 1000035);
    CHECK(caldari.at("militia_corporation_id") == 1000180);
    CHECK(caldari.at("solar_system_id") == 30000145);
    CHECK(caldari.at("size_factor") == 5.0);
    CHECK(caldari.at("description").as_string().starts_with("The Caldari State"));
    for (const auto* key : {"is_unique", "station_count", "station_system_count"}) {
        CHECK(caldari.contains(key));
    }
}

TEST_CASE("universe names resolves every category") {
    TestEmulator test;
    auto response = test.send("POST", "/v3/universe/names/", "[2112000004, 98370861, 1354830081, 500002]");
    REQUIRE(response.status == 200);
    auto list = parse_body(response).as_array();
    REQUIRE(list.size() == 4);
    CHECK(list[0].at("category") == "character");
    CHECK(list[0].at("name") == "Mira O'Sullivan");
    CHECK(list[1].at("category") == "corporation");
    CHECK(list[2].at("category") == "alliance");
    CHECK(list[3].at("category") == "faction");

    CHECK(test.send("POST", "/v3/universe/names/", "[2112000004, 7]").status == 404);
}

TEST_CASE("responses carry ESI caching headers") {
    TestEmulator test;
    auto response = test.send("GET", "/latest/corporations/98179071/");
    CHECK(response.header("Cache-Control") == "public, max-age=3600");
    CHECK(response.header("Expires") == http_date(test.now + 3600));
    CHECK(response.header("Last-Modified") == http_date(test.now));
    CHECK(response.header("ETag").size() == 66);
    CHECK(response.header("X-ESI-Error-Limit-Remain") == "100");
}

TEST_CASE("etag is stable and 304 answers a matching If-None-Match") {
    TestEmulator test;
    auto first = test.send("GET", "/latest/alliances/1354830081/");
    auto second = test.send("GET", "/latest/alliances/1354830081/");
    auto etag = first.header("ETag");
    CHECK(etag == second.header("ETag"));

    auto cached = test.send("GET", "/latest/alliances/1354830081/", "", {{"If-None-Match", etag}});
    CHECK(cached.status == 304);
    CHECK(cached.body.empty());
    CHECK(cached.header("ETag") == etag);

    auto weak = test.send("GET", "/latest/alliances/1354830081/", "", {{"If-None-Match", "\"x\", W/" + etag}});
    CHECK(weak.status == 304);

    auto other = test.send("GET", "/latest/alliances/1354830081/", "", {{"If-None-Match", "\"other\""}});
    CHECK(other.status == 200);
}

TEST_CASE("etag changes when the character changes") {
    TestEmulator test;
    auto before = test.send("GET", "/latest/characters/2112000001/").header("ETag");
    test.send("POST", "/_emulator/characters/2112000001", R"({"corporation_id":1000001})");
    auto after = test.send("GET", "/latest/characters/2112000001/", "", {{"If-None-Match", before}});
    CHECK(after.status == 200);
    CHECK(after.header("ETag") != before);
}

TEST_CASE("http date and daily expiry") {
    CHECK(http_date(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
    std::int64_t midnight = 1'800'000'000 - 1'800'000'000 % 86400;
    CHECK(seconds_until_daily_expiry(midnight) == 11 * 3600 + 300);
    CHECK(seconds_until_daily_expiry(midnight + 11 * 3600 + 300) == 86400);
}

TEST_CASE("location needs a bearer token with its scope") {
    TestEmulator test;
    CHECK(test.send("GET", "/latest/characters/2112000003/location/").status == 401);

    auto public_only = access_token_for(test, ilse, "publicData");
    auto forbidden = test.send("GET", "/latest/characters/2112000003/location/", "",
                               {{"Authorization", "Bearer " + public_only}});
    CHECK(forbidden.status == 403);

    auto token = access_token_for(test, ilse, "esi-location.read_location.v1");
    auto allowed = test.send("GET", "/v2/characters/2112000003/location/", "",
                             {{"Authorization", "Bearer " + token}});
    REQUIRE(allowed.status == 200);
    CHECK(parse_body(allowed) == boost::json::value({{"solar_system_id", 30000142}, {"station_id", 60003760}}));

    auto by_query = test.send("GET", "/latest/characters/2112000003/location/?token=" + token);
    CHECK(by_query.status == 200);

    auto other_character = test.send("GET", "/latest/characters/2112000001/location/", "",
                                      {{"Authorization", "Bearer " + token}});
    CHECK(other_character.status == 403);

    test.now += 1200;
    auto expired = test.send("GET", "/latest/characters/2112000003/location/", "",
                             {{"Authorization", "Bearer " + token}});
    CHECK(expired.status == 401);
}

TEST_CASE("status serves the recorded body") {
    TestEmulator test;
    auto response = test.send("GET", "/latest/status/");
    CHECK(response.status == 200);
    CHECK(parse_body(response).at("server_version") == "1132976");
}
