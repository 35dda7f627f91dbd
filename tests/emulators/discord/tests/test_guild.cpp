#include "test_support.hpp"

#include <doctest/doctest.h>

#include <boost/json/array.hpp>

using namespace aa::discord_emulator::testing;

namespace {

const std::string members = "/guilds/" + guild_id + "/members/";

bool has_role(const boost::json::object& member, const std::string& role_id) {
    for (const auto& id : member.at("roles").as_array()) {
        if (text(id) == role_id) {
            return true;
        }
    }
    return false;
}

int code_of(const aa::emulator::Response& response) {
    return static_cast<int>(parse_body(response).at("code").as_int64());
}

}  // namespace

TEST_CASE("bot routes reject a wrong bot token") {
    TestEmulator t;
    auto response = t.send("GET", "/api/v10/guilds/" + guild_id, "", {{"Authorization", "Bot wrong"}});
    CHECK(response.status == 401);
    CHECK(parse_body(response).at("message") == "401: Unauthorized");
}

TEST_CASE("get guild returns the recorded guild with its roles") {
    TestEmulator t;
    auto response = t.bot("GET", "/guilds/" + guild_id);
    REQUIRE(response.status == 200);
    auto guild = parse_body(response).as_object();
    CHECK(guild.at("name") == "Discord Testers");
    CHECK(guild.at("roles").as_array().size() == 5);
    CHECK(guild.at("roles").as_array()[0].at("name") == "@everyone");
}

TEST_CASE("unknown guild gives 10004") {
    TestEmulator t;
    auto response = t.bot("GET", "/guilds/1/roles");
    CHECK(response.status == 404);
    CHECK(code_of(response) == 10004);
}

TEST_CASE("add member creates once and then answers 204") {
    TestEmulator t;
    auto token = t.user_token(nelly_id);
    auto body = R"({"access_token":")" + token + R"(","nick":"Nelly the Pilot","roles":[")" + plain_role_id + R"("]})";
    auto created = t.bot("PUT", members + nelly_id, body);
    INFO(created.body);
    REQUIRE(created.status == 201);
    auto member = parse_body(created).as_object();
    CHECK(member.at("nick") == "Nelly the Pilot");
    CHECK(has_role(member, plain_role_id));
    CHECK(text(member.at("user").at("id")) == nelly_id);

    CHECK(t.bot("PUT", members + nelly_id, body).status == 204);
}

TEST_CASE("add member needs the user's guilds.join token") {
    TestEmulator t;
    auto missing = t.bot("PUT", members + nelly_id, "{}");
    CHECK(missing.status == 400);
    CHECK(code_of(missing) == 50035);
    CHECK(parse_body(missing).at("errors").as_object().contains("access_token"));

    auto other_user = t.bot("PUT", members + nelly_id, R"({"access_token":")" + t.user_token(kaelen_id) + "\"}");
    CHECK(other_user.status == 403);
    CHECK(code_of(other_user) == 50025);

    auto no_scope = t.bot("PUT", members + nelly_id,
                          R"({"access_token":")" + t.user_token(nelly_id, R"(["identify"])") + "\"}");
    CHECK(no_scope.status == 403);
    CHECK(code_of(no_scope) == 50025);
}

TEST_CASE("nick of 33 characters is invalid") {
    TestEmulator t;
    t.join(nelly_id);
    auto response = t.bot("PATCH", members + nelly_id, R"({"nick":")" + std::string(33, 'x') + "\"}");
    CHECK(response.status == 400);
    CHECK(code_of(response) == 50035);
    CHECK(parse_body(response).at("errors").as_object().contains("nick"));

    auto fits = t.bot("PATCH", members + nelly_id, R"({"nick":")" + std::string(32, 'x') + "\"}");
    CHECK(fits.status == 200);
}

TEST_CASE("nick of only invisible characters is invalid") {
    TestEmulator t;
    auto token = t.user_token(nelly_id);
    // Zero-width space, a no-break space with a zero-width joiner, and the
    // Hangul filler: each renders as nothing.
    for (const std::string invisible : {"\\u200b", " \\u00a0\\u200d ", "\\u3164"}) {
        CAPTURE(invisible);
        auto added = t.bot("PUT", members + nelly_id,
                           R"({"access_token":")" + token + R"(","nick":")" + invisible + "\"}");
        CHECK(added.status == 400);
        CHECK(code_of(added) == 50035);
        CHECK(parse_body(added).at("errors").as_object().contains("nick"));
    }

    auto added = t.bot("PUT", members + nelly_id, R"({"access_token":")" + token + R"(","nick":"\u200bNelly"})");
    CHECK(added.status == 201);
    auto renamed = t.bot("PATCH", members + nelly_id, R"({"nick":"\u200b"})");
    CHECK(renamed.status == 400);
    CHECK(code_of(renamed) == 50035);
    auto cleared = t.bot("PATCH", members + nelly_id, R"({"nick":""})");
    CHECK(cleared.status == 200);
}

TEST_CASE("role above the bot gives 50013 Missing Permissions") {
    TestEmulator t;
    t.join(nelly_id);
    auto response = t.bot("PUT", members + nelly_id + "/roles/" + moderators_role_id);
    CHECK(response.status == 403);
    CHECK(code_of(response) == 50013);
    CHECK(parse_body(response).at("message") == "Missing Permissions");

    auto patch = t.bot("PATCH", members + nelly_id, R"({"roles":[")" + moderators_role_id + R"("]})");
    CHECK(patch.status == 403);
    CHECK(code_of(patch) == 50013);
    CHECK_FALSE(has_role(t.member(nelly_id), moderators_role_id));
}

TEST_CASE("managed roles cannot change hands but may stay") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/members",
                   R"({"user_id":")" + nelly_id + R"(","roles":[")" + managed_role_id + R"("]})").status == 200);

    auto keep = t.bot("PATCH", members + nelly_id,
                      R"({"roles":[")" + managed_role_id + R"(",")" + plain_role_id + R"("]})");
    CHECK(keep.status == 200);

    auto drop = t.bot("PATCH", members + nelly_id, R"({"roles":[")" + plain_role_id + R"("]})");
    CHECK(drop.status == 400);
    CHECK(code_of(drop) == 50028);
    CHECK(has_role(t.member(nelly_id), managed_role_id));

    t.join(kaelen_id);
    auto give = t.bot("PUT", members + kaelen_id + "/roles/" + managed_role_id);
    CHECK(give.status == 400);
    CHECK(code_of(give) == 50028);
}

TEST_CASE("the owner cannot be renamed or kicked") {
    TestEmulator t;
    auto rename = t.bot("PATCH", members + owner_id, R"({"nick":"x"})");
    CHECK(rename.status == 403);
    CHECK(code_of(rename) == 50013);
    CHECK(t.bot("DELETE", members + owner_id).status == 403);
}

TEST_CASE("modify member replaces roles and clears the nick") {
    TestEmulator t;
    t.join(nelly_id, R"("nick":"Old")");
    auto response = t.bot("PATCH", members + nelly_id, R"({"nick":null,"roles":[")" + plain_role_id + R"("]})");
    REQUIRE(response.status == 200);
    auto member = parse_body(response).as_object();
    CHECK(member.at("nick").is_null());
    CHECK(has_role(member, plain_role_id));
}

TEST_CASE("remove member then get answers 10007") {
    TestEmulator t;
    t.join(nelly_id);
    CHECK(t.bot("DELETE", members + nelly_id).status == 204);
    auto response = t.bot("GET", members + nelly_id);
    CHECK(response.status == 404);
    CHECK(code_of(response) == 10007);
    CHECK(code_of(t.bot("DELETE", members + nelly_id)) == 10007);
}

TEST_CASE("member role add and remove") {
    TestEmulator t;
    t.join(nelly_id);
    CHECK(t.bot("PUT", members + nelly_id + "/roles/" + plain_role_id).status == 204);
    CHECK(has_role(t.member(nelly_id), plain_role_id));
    CHECK(t.bot("DELETE", members + nelly_id + "/roles/" + plain_role_id).status == 204);
    CHECK_FALSE(has_role(t.member(nelly_id), plain_role_id));
    CHECK(code_of(t.bot("PUT", members + nelly_id + "/roles/12345")) == 10011);
}

TEST_CASE("create role goes to position 1 and delete removes it") {
    TestEmulator t;
    auto created = t.bot("POST", "/guilds/" + guild_id + "/roles", R"({"name":"Fleet Commanders"})");
    REQUIRE(created.status == 200);
    auto role = parse_body(created).as_object();
    std::string role_id(role.at("id").as_string());
    CHECK(role.at("position") == 1);
    CHECK(role.at("managed") == false);

    t.join(nelly_id, R"("roles":[")" + role_id + "\"]");
    CHECK(t.bot("DELETE", "/guilds/" + guild_id + "/roles/" + role_id).status == 204);
    CHECK_FALSE(has_role(t.member(nelly_id), role_id));
    CHECK(parse_body(t.bot("GET", "/guilds/" + guild_id + "/roles")).as_array().size() == 5);
}

TEST_CASE("role name over 100 characters is invalid") {
    TestEmulator t;
    auto response = t.bot("POST", "/guilds/" + guild_id + "/roles", R"({"name":")" + std::string(101, 'r') + "\"}");
    CHECK(response.status == 400);
    CHECK(code_of(response) == 50035);
}

TEST_CASE("role name of 100 emoji is valid") {
    // Discord's API counts code points, so 100 four-byte characters fit.
    TestEmulator t;
    std::string name;
    for (int i = 0; i < 100; ++i) {
        name += "\xF0\x9F\x9A\x80";
    }
    auto response = t.bot("POST", "/guilds/" + guild_id + "/roles", R"({"name":")" + name + "\"}");
    CHECK(response.status == 200);
}

TEST_CASE("a role name marked by a fault is invalid") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/faults", R"({"reject_role_name":"Scouts <Wing>"})").status == 200);
    auto rejected = t.bot("POST", "/guilds/" + guild_id + "/roles", R"({"name":"Scouts <Wing>"})");
    CHECK(rejected.status == 400);
    auto body = parse_body(rejected).as_object();
    CHECK(body.at("code") == 50035);
    CHECK(body.at("message") == "Invalid Form Body");
    CHECK(body.at("errors").at("name").at("_errors").as_array().size() == 1);
    CHECK(t.bot("POST", "/guilds/" + guild_id + "/roles", R"({"name":"Scouts"})").status == 200);
    CHECK(parse_body(t.send("GET", "/_emulator/faults")).at("rejected_role_names").as_array().size() == 1);

    REQUIRE(t.send("DELETE", "/_emulator/faults").status == 200);
    CHECK(t.bot("POST", "/guilds/" + guild_id + "/roles", R"({"name":"Scouts <Wing>"})").status == 200);
    CHECK(t.send("POST", "/_emulator/faults", R"({"reject_role_name":""})").status == 400);
}

TEST_CASE("delete role above the bot gives 50013") {
    TestEmulator t;
    auto response = t.bot("DELETE", "/guilds/" + guild_id + "/roles/" + moderators_role_id);
    CHECK(response.status == 403);
    CHECK(code_of(response) == 50013);
    CHECK(code_of(t.bot("DELETE", "/guilds/" + guild_id + "/roles/" + managed_role_id)) == 50028);
}

TEST_CASE("guild stops at 250 roles") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/limits", R"({"bucket":"create_guild_role","limit":1000,"window_ms":1000})")
                .status == 200);
    aa::emulator::Response response;
    for (int i = 0; i < 245; ++i) {  // the guild starts with 5 roles
        t.now += 1000;  // keeps the global limit out of the way
        response = t.bot("POST", "/guilds/" + guild_id + "/roles", R"({"name":"r"})");
        REQUIRE(response.status == 200);
    }
    response = t.bot("POST", "/guilds/" + guild_id + "/roles", R"({"name":"r"})");
    CHECK(response.status == 400);
    CHECK(code_of(response) == 30005);
}

TEST_CASE("bot outside the guild gets 50001 Missing Access") {
    TestEmulator t;
    REQUIRE(t.send("DELETE", "/_emulator/members/" + bot_id).status == 200);
    auto response = t.bot("GET", "/guilds/" + guild_id);
    CHECK(response.status == 403);
    CHECK(code_of(response) == 50001);
}

TEST_CASE("invalid JSON body gives 50109") {
    TestEmulator t;
    auto response = t.bot("PATCH", members + owner_id, "{nope");
    CHECK(response.status == 400);
    CHECK(code_of(response) == 50109);
}

TEST_CASE("member list pages by user id after the given one") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/members/generate", R"({"first_id":"1200000000000000001","count":5,"roles":[")" +
                                                              plain_role_id + R"("]})")
                .status == 200);
    auto list = "/guilds/" + guild_id + "/members";

    // The world starts with the bot and the owner, whose ids are lower.
    auto first = t.bot("GET", list + "?limit=3");
    REQUIRE(first.status == 200);
    auto page = parse_body(first).as_array();
    REQUIRE(page.size() == 3);
    auto last_id = text(page.back().at("user").at("id"));
    CHECK(last_id == "1200000000000000001");

    auto rest = parse_body(t.bot("GET", list + "?limit=1000&after=" + last_id)).as_array();
    REQUIRE(rest.size() == 4);
    CHECK(text(rest.front().at("user").at("id")) == "1200000000000000002");
    CHECK(text(rest.back().at("user").at("id")) == "1200000000000000005");
    CHECK(has_role(rest.back().as_object(), plain_role_id));
    CHECK(parse_body(t.bot("GET", list + "?limit=1000&after=1200000000000000005")).as_array().empty());
}

TEST_CASE("member list refuses a bad limit and a missing intent") {
    TestEmulator t;
    auto list = "/guilds/" + guild_id + "/members";
    CHECK(code_of(t.bot("GET", list + "?limit=1001")) == 50035);
    CHECK(code_of(t.bot("GET", list + "?limit=ten")) == 50035);
    CHECK(code_of(t.bot("GET", list + "?after=-1")) == 50035);
    REQUIRE(t.send("POST", "/_emulator/intents", R"({"guild_members":false})").status == 200);
    auto refused = t.bot("GET", list + "?limit=10");
    CHECK(refused.status == 403);
    CHECK(code_of(refused) == 50001);
}
