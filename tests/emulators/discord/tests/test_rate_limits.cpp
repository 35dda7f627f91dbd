#include "test_support.hpp"

#include <doctest/doctest.h>

using namespace aa::discord_emulator::testing;

namespace {

const std::string members = "/guilds/" + guild_id + "/members/";

long count_in(TestEmulator& t, const char* section, const char* route) {
    auto counts = parse_body(t.send("GET", "/_emulator/requests")).as_object().at(section).as_object();
    auto found = counts.find(route);
    return found == counts.end() ? 0 : found->value().as_int64();
}

}  // namespace

TEST_CASE("responses carry the bucket headers") {
    TestEmulator t;
    t.join(nelly_id);
    auto response = t.bot("PATCH", members + nelly_id, R"({"nick":"a"})");
    REQUIRE(response.status == 200);
    CHECK(response.header("X-RateLimit-Limit") == "10");
    CHECK(response.header("X-RateLimit-Remaining") == "9");
    CHECK(response.header("X-RateLimit-Reset-After") == "10.000");
    CHECK(response.header("X-RateLimit-Reset") == "1800000010.000");
    CHECK(response.header("X-RateLimit-Bucket").size() == 16);
}

TEST_CASE("eleventh modify within ten seconds gets a user 429") {
    TestEmulator t;
    t.join(nelly_id);
    for (int i = 0; i < 10; ++i) {
        REQUIRE(t.bot("PATCH", members + nelly_id, R"({"nick":"a"})").status == 200);
    }
    t.now += 2500;
    auto refused = t.bot("PATCH", members + nelly_id, R"({"nick":"b"})");
    REQUIRE(refused.status == 429);
    CHECK(refused.header("X-RateLimit-Scope") == "user");
    CHECK(refused.header("X-RateLimit-Remaining") == "0");
    CHECK(refused.header("Retry-After") == "8");
    auto body = parse_body(refused).as_object();
    CHECK(body.at("retry_after").as_double() == doctest::Approx(7.5));
    CHECK(body.at("global") == false);
    CHECK(count_in(t, "rate_limited", "modify_guild_member") == 1);
    CHECK(t.member(nelly_id).at("nick") == "a");

    t.now += 7500;
    CHECK(t.bot("PATCH", members + nelly_id, R"({"nick":"b"})").status == 200);
}

TEST_CASE("member role add and remove share a bucket") {
    TestEmulator t;
    t.join(nelly_id);
    auto add = t.bot("PUT", members + nelly_id + "/roles/" + plain_role_id);
    auto remove = t.bot("DELETE", members + nelly_id + "/roles/" + plain_role_id);
    CHECK(add.header("X-RateLimit-Bucket") == remove.header("X-RateLimit-Bucket"));
    CHECK(remove.header("X-RateLimit-Remaining") == "8");
}

TEST_CASE("buckets count per guild") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/limits", R"({"bucket":"get_guild_member","limit":1,"window_ms":60000})").status ==
            200);
    CHECK(t.bot("GET", members + owner_id).status == 200);
    CHECK(t.bot("GET", members + owner_id).status == 429);
    // Another guild has its own window, so the request passes the limit
    // and fails on the unknown guild.
    CHECK(t.bot("GET", "/guilds/1/members/" + owner_id).status == 404);
}

TEST_CASE("global limit answers a global 429") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/limits", R"({"global":3})").status == 200);
    for (int i = 0; i < 3; ++i) {
        REQUIRE(t.bot("GET", "/guilds/" + guild_id + "/roles").status == 200);
    }
    t.now += 400;
    auto refused = t.bot("GET", "/guilds/" + guild_id + "/roles");
    REQUIRE(refused.status == 429);
    CHECK(refused.header("X-RateLimit-Global") == "true");
    CHECK(refused.header("X-RateLimit-Scope") == "global");
    CHECK(parse_body(refused).at("global") == true);
    CHECK(parse_body(refused).at("retry_after").as_double() == doctest::Approx(0.6));

    t.now += 600;
    CHECK(t.bot("GET", "/guilds/" + guild_id + "/roles").status == 200);
}

TEST_CASE("routes without a bucket send no bucket headers") {
    TestEmulator t;
    auto response = t.bot("GET", "/guilds/" + guild_id + "/roles");
    CHECK(response.header("X-RateLimit-Bucket").empty());
}

TEST_CASE("injected 429s hit the named route only") {
    TestEmulator t;
    t.join(nelly_id);
    REQUIRE(t.send("POST", "/_emulator/faults",
                   R"({"rate_limit":"shared","route":"modify_guild_member","count":2,"retry_after_ms":1500})")
                .status == 200);
    CHECK(t.bot("GET", "/guilds/" + guild_id + "/roles").status == 200);

    auto first = t.bot("PATCH", members + nelly_id, R"({"nick":"a"})");
    REQUIRE(first.status == 429);
    CHECK(first.header("X-RateLimit-Scope") == "shared");
    CHECK(first.header("Retry-After") == "2");
    CHECK(parse_body(first).at("retry_after").as_double() == doctest::Approx(1.5));
    CHECK(t.bot("PATCH", members + nelly_id, R"({"nick":"a"})").status == 429);
    CHECK(t.bot("PATCH", members + nelly_id, R"({"nick":"a"})").status == 200);
    CHECK(count_in(t, "injected_429", "modify_guild_member") == 2);
    CHECK(count_in(t, "rate_limited", "modify_guild_member") == 0);
}

TEST_CASE("injected 429 hits users/@me") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/faults",
                   R"({"rate_limit":"user","route":"get_current_user","count":1,"retry_after_ms":2000})")
                .status == 200);
    auto refused = t.send("GET", "/api/users/@me", "", {{"Authorization", "Bot aa-discord-bot-token"}});
    REQUIRE(refused.status == 429);
    CHECK(refused.header("X-RateLimit-Scope") == "user");
    CHECK(count_in(t, "injected_429", "get_current_user") == 1);
    CHECK(t.send("GET", "/api/users/@me", "", {{"Authorization", "Bot aa-discord-bot-token"}}).status == 200);
}

TEST_CASE("injected global 429 hits any route") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/faults", R"({"rate_limit":"global"})").status == 200);
    auto refused = t.bot("GET", "/guilds/" + guild_id);
    CHECK(refused.status == 429);
    CHECK(refused.header("X-RateLimit-Global") == "true");
    CHECK(t.bot("GET", "/guilds/" + guild_id).status == 200);
}

TEST_CASE("limits reject unknown buckets and bad numbers") {
    TestEmulator t;
    auto unknown = t.send("POST", "/_emulator/limits", R"({"bucket":"nope","limit":1,"window_ms":1})");
    CHECK(unknown.status == 400);
    CHECK(unknown.body.find("unknown bucket \\\"nope\\\"") != std::string::npos);
    CHECK(t.send("POST", "/_emulator/limits", R"({"bucket":"get_guild_member","limit":0,"window_ms":1})").status == 400);
    CHECK(t.send("POST", "/_emulator/limits", R"({"global":0})").status == 400);
}
