#include "test_support.hpp"

#include "form_fields.hpp"

#include <doctest/doctest.h>

using namespace aa::discord_emulator::testing;

namespace {

const std::string authorize_base =
    "/api/oauth2/authorize?response_type=code&client_id=aa-discord-client&scope=identify%20guilds.join"
    "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fdiscord%2Fcallback%2F&state=s1&prompt=none";

// Basic base64 of "aa-discord-client:aa-discord-secret".
const std::string client_basic = "Basic YWEtZGlzY29yZC1jbGllbnQ6YWEtZGlzY29yZC1zZWNyZXQ=";

std::string code_from(const aa::emulator::Response& response) {
    REQUIRE(response.status == 302);
    auto location = response.header("Location");
    auto query = aa::emulator::parse_form_fields(location.substr(location.find('?') + 1));
    REQUIRE(query.has_value());
    CHECK(query->at("state") == "s1");
    return query->at("code");
}

aa::emulator::Response exchange_code(TestEmulator& t, const std::string& form) {
    return t.send("POST", "/api/v10/oauth2/token", form,
                  {{"Authorization", client_basic}, {"Content-Type", "application/x-www-form-urlencoded"}});
}

const std::string redirect_field = "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fdiscord%2Fcallback%2F";

}  // namespace

TEST_CASE("authorize rejects an unknown client id") {
    TestEmulator t;
    auto response = t.send("GET", "/api/oauth2/authorize?response_type=code&client_id=nobody&scope=identify"
                                  "&redirect_uri=http%3A%2F%2Flocalhost%2F");
    CHECK(response.status == 400);
    CHECK(response.body.find("unknown client_id &#39;nobody&#39;") != std::string::npos);
}

TEST_CASE("authorize without a user shows the user chooser") {
    TestEmulator t;
    auto response = t.send("GET", authorize_base);
    CHECK(response.status == 200);
    CHECK(response.body.find("data-user-id=\"" + nelly_id + "\"") != std::string::npos);
    CHECK(response.body.find("Nelly") != std::string::npos);
}

TEST_CASE("authorize redirects with a single-use code") {
    TestEmulator t;
    auto code = code_from(t.send("GET", authorize_base + "&user_id=" + nelly_id));

    auto first = exchange_code(t, "grant_type=authorization_code&code=" + code + redirect_field);
    INFO(first.body);
    REQUIRE(first.status == 200);
    auto tokens = parse_body(first).as_object();
    CHECK(tokens.at("token_type") == "Bearer");
    CHECK(tokens.at("expires_in") == 604800);
    CHECK(tokens.at("scope") == "identify guilds.join");

    auto second = exchange_code(t, "grant_type=authorization_code&code=" + code + redirect_field);
    CHECK(second.status == 400);
    CHECK(parse_body(second).at("error") == "invalid_grant");
}

TEST_CASE("token exchange checks client secret and redirect uri") {
    TestEmulator t;
    auto code = code_from(t.send("GET", authorize_base + "&user_id=" + nelly_id));

    auto wrong_secret = t.send("POST", "/api/oauth2/token",
                               "grant_type=authorization_code&code=" + code +
                                   "&client_id=aa-discord-client&client_secret=wrong");
    CHECK(wrong_secret.status == 401);
    CHECK(parse_body(wrong_secret).at("error") == "invalid_client");

    auto wrong_redirect = exchange_code(t, "grant_type=authorization_code&code=" + code + "&redirect_uri=http%3A%2F%2Fevil%2F");
    CHECK(wrong_redirect.status == 400);
    CHECK(parse_body(wrong_redirect).at("error") == "invalid_grant");
}

TEST_CASE("refresh replaces both tokens") {
    TestEmulator t;
    auto code = code_from(t.send("GET", authorize_base + "&user_id=" + nelly_id));
    auto tokens = parse_body(exchange_code(t, "grant_type=authorization_code&code=" + code + redirect_field)).as_object();
    std::string refresh(tokens.at("refresh_token").as_string());
    std::string access(tokens.at("access_token").as_string());

    auto refreshed = exchange_code(t, "grant_type=refresh_token&refresh_token=" + refresh);
    REQUIRE(refreshed.status == 200);
    CHECK(text(parse_body(refreshed).at("refresh_token")) != refresh);
    CHECK(exchange_code(t, "grant_type=refresh_token&refresh_token=" + refresh).status == 400);
    CHECK(t.send("GET", "/api/v10/users/@me", "", {{"Authorization", "Bearer " + access}}).status == 401);
}

TEST_CASE("users/@me returns the token's user") {
    TestEmulator t;
    auto response = t.send("GET", "/api/v10/users/@me", "", {{"Authorization", "Bearer " + t.user_token(nelly_id)}});
    REQUIRE(response.status == 200);
    auto user = parse_body(response).as_object();
    CHECK(text(user.at("id")) == nelly_id);
    CHECK(user.at("username") == "Nelly");
    CHECK(user.at("discriminator") == "1337");
}

TEST_CASE("users/@me needs the identify scope") {
    TestEmulator t;
    auto token = t.user_token(nelly_id, R"(["guilds.join"])");
    auto response = t.send("GET", "/api/users/@me", "", {{"Authorization", "Bearer " + token}});
    CHECK(response.status == 401);
    CHECK(parse_body(response).at("code") == 0);
}

TEST_CASE("users/@me with the bot token returns the bot") {
    TestEmulator t;
    auto response = t.send("GET", "/api/users/@me", "", {{"Authorization", "Bot aa-discord-bot-token"}});
    REQUIRE(response.status == 200);
    CHECK(text(parse_body(response).at("id")) == bot_id);
    CHECK(parse_body(response).at("bot") == true);
}

TEST_CASE("revoke ends the authorization") {
    TestEmulator t;
    auto token = t.user_token(nelly_id);
    auto revoked = t.send("POST", "/api/oauth2/token/revoke", "token=" + token + "&token_type_hint=access_token",
                          {{"Authorization", client_basic}});
    CHECK(revoked.status == 200);
    CHECK(t.send("GET", "/api/users/@me", "", {{"Authorization", "Bearer " + token}}).status == 401);
}

TEST_CASE("authorizing the bot puts it back into the guild") {
    TestEmulator t;
    REQUIRE(t.send("DELETE", "/_emulator/members/" + bot_id).status == 200);
    CHECK(t.bot("GET", "/guilds/" + guild_id + "/roles").status == 403);

    auto response = t.send("GET", "/api/oauth2/authorize?client_id=aa-discord-client&scope=bot&permissions=8"
                                  "&guild_id=" + guild_id + "&user_id=" + owner_id);
    CHECK(response.status == 200);
    CHECK(t.bot("GET", "/guilds/" + guild_id + "/roles").status == 200);
    auto roles = t.member(bot_id).at("roles").as_array();
    REQUIRE(roles.size() == 1);
    CHECK(text(roles[0]) == bot_role_id);
}

TEST_CASE("authorizing the bot with a redirect sends guild_id back") {
    TestEmulator t;
    auto response = t.send("GET", "/api/oauth2/authorize?response_type=code&client_id=aa-discord-client"
                                  "&scope=bot&permissions=8&state=s1&redirect_uri=http%3A%2F%2Flocalhost%2Fcb"
                                  "&user_id=" + owner_id);
    REQUIRE(response.status == 302);
    CHECK(response.header("Location").find("guild_id=" + guild_id) != std::string::npos);
    CHECK(response.header("Location").find("permissions=8") != std::string::npos);
}

TEST_CASE("reject_code fault fails one code exchange") {
    TestEmulator t;
    REQUIRE(t.send("POST", "/_emulator/faults", R"({"oauth": "reject_code", "count": 1})").status == 200);
    auto code = code_from(t.send("GET", authorize_base + "&user_id=" + nelly_id));
    CHECK(exchange_code(t, "grant_type=authorization_code&code=" + code + redirect_field).status == 400);

    auto second_code = code_from(t.send("GET", authorize_base + "&user_id=" + nelly_id));
    CHECK(exchange_code(t, "grant_type=authorization_code&code=" + second_code + redirect_field).status == 200);
}
