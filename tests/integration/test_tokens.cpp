// The token management page over HTTP: the user's tokens with character,
// scopes and expiry and no secrets; refresh through the EVE SSO emulator
// (refreshed, rejected, unreachable); delete; and another user's token
// refused with 403 and left alone.
#include <doctest/doctest.h>

#include "auth/crypto.hpp"
#include "harness.hpp"

using namespace aa::test;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;
constexpr long long kOmicronPilot = 2112000002;
// The secret_key of instance_yaml, which seals the tokens at rest.
constexpr const char* kSecretKey = "test-secret-key-0123456789-abcdefghijklmnop";

long long token_of(Daemon& daemon, long long character_id) {
  return query_int(daemon.db(), "SELECT MAX(id) FROM sso_tokens WHERE character_id = :id", character_id);
}

std::string opened(Daemon& daemon, const std::string& column, long long token_id) {
  aa::core::SecretBox box(kSecretKey);
  return box.open(query_text(daemon.db(), "SELECT " + column + " FROM sso_tokens WHERE id = :id", token_id))
      .value_or("");
}

}  // namespace

TEST_CASE("tokens: another user's token is refused with 403 and left alone") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser alice(daemon.base_url());
    Browser bob(daemon.base_url());
    REQUIRE(sso_flow(alice, kKarmaFleetPilot).status == 302);
    REQUIRE(sso_flow(bob, kOmicronPilot).status == 302);
    auto alice_token = token_of(daemon, kKarmaFleetPilot);
    auto sealed = query_text(daemon.db(), "SELECT access_token FROM sso_tokens WHERE id = :id", alice_token);
    auto requests = emulator.request_count("sso_token");

    bob.get("/account/tokens/manage/");
    auto id = std::to_string(alice_token);
    CHECK(bob.post("/account/tokens/delete/" + id + "/", {}).status == 403);
    CHECK(bob.post("/account/tokens/refresh/" + id + "/", {}).status == 403);
    CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_tokens WHERE id = :id", alice_token) == 1);
    CHECK(query_text(daemon.db(), "SELECT access_token FROM sso_tokens WHERE id = :id", alice_token) == sealed);
    CHECK(emulator.request_count("sso_token") == requests);
    CHECK_FALSE(contains(bob.get("/account/tokens/manage/").body, "Kaelen Brightwater"));

    // No CSRF token, GET, anonymous, unknown or malformed ids.
    alice.get("/account/tokens/manage/");
    CHECK(alice.post("/account/tokens/delete/" + id + "/", {}, false).status == 403);
    CHECK(alice.get("/account/tokens/delete/" + id + "/").status == 405);
    Browser stranger(daemon.base_url());
    stranger.get("/account/login/");
    CHECK(stranger.post("/account/tokens/delete/" + id + "/", {}).status == 302);
    CHECK(alice.post("/account/tokens/delete/999999/", {}).status == 404);
    CHECK(alice.post("/account/tokens/delete/99999999999999999999999/", {}).status == 404);
    CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_tokens WHERE id = :id", alice_token) == 1);
  }
}

TEST_CASE("tokens: the page lists character, scopes and expiry, and never a secret") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  auto token = token_of(daemon, kKarmaFleetPilot);
  // A second scope, as a token added by an app that asked for more has.
  daemon.db() << "INSERT INTO sso_token_scopes (token_id, scope) VALUES (:id, 'esi-fleets.read_fleet.v1')",
      soci::use(token);

  auto page = browser.get("/account/tokens/manage/");
  REQUIRE(page.status == 200);
  CHECK(contains(page.body, "id=\"aa-token-" + std::to_string(token) + "\""));
  CHECK(contains(page.body, "Kaelen Brightwater"));
  CHECK(contains(page.body, ">publicData</span>"));
  CHECK(contains(page.body, ">esi-fleets.read_fleet.v1</span>"));
  CHECK_FALSE(contains(page.body, ">expired</span>"));
  auto access = opened(daemon, "access_token", token);
  auto refresh = opened(daemon, "refresh_token", token);
  REQUIRE(access.size() > 20);
  REQUIRE(refresh.size() > 10);
  CHECK_FALSE(contains(page.body, access));
  CHECK_FALSE(contains(page.body, refresh));
  CHECK_FALSE(
      contains(page.body, query_text(daemon.db(), "SELECT refresh_token FROM sso_tokens WHERE id = :id", token)));

  daemon.db() << "UPDATE sso_tokens SET expires_at = 1000 WHERE id = :id", soci::use(token);
  CHECK(contains(browser.get("/account/tokens/manage/").body, "1970-01-01 00:16"));
}

TEST_CASE("tokens: refresh through the SSO, and what a rejection or an outage does") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
    auto token = token_of(daemon, kKarmaFleetPilot);
    auto path = "/account/tokens/refresh/" + std::to_string(token) + "/";
    auto old_access = opened(daemon, "access_token", token);
    daemon.db() << "UPDATE sso_tokens SET expires_at = 1000 WHERE id = :id", soci::use(token);

    // Refreshed: new access token and expiry.
    browser.get("/account/tokens/manage/");
    auto refreshed = browser.post(path, {});
    REQUIRE(refreshed.status == 302);
    CHECK(refreshed.location() == "/account/tokens/manage/");
    CHECK(contains(browser.get("/account/tokens/manage/").body, "Refreshed the token of Kaelen Brightwater."));
    CHECK(opened(daemon, "access_token", token) != old_access);
    CHECK(query_int(daemon.db(), "SELECT expires_at FROM sso_tokens WHERE id = :id", token) > 1000);

    // Unreachable: nothing changes.
    auto sealed = query_text(daemon.db(), "SELECT refresh_token FROM sso_tokens WHERE id = :id", token);
    emulator.control("faults", R"({"sso": "down"})");
    CHECK(browser.post(path, {}).status == 302);
    emulator.clear_faults();
    CHECK(contains(browser.get("/account/tokens/manage/").body, "EVE SSO could not be reached."));
    CHECK(query_text(daemon.db(), "SELECT refresh_token FROM sso_tokens WHERE id = :id", token) == sealed);

    // Rejected (a refresh token the SSO does not know): the token goes.
    aa::core::SecretBox box(kSecretKey);
    auto forged = box.seal("refresh-token-the-sso-never-issued");
    daemon.db() << "UPDATE sso_tokens SET refresh_token = :token WHERE id = :id", soci::use(forged), soci::use(token);
    CHECK(browser.post(path, {}).status == 302);
    CHECK(contains(browser.get("/account/tokens/manage/").body, "EVE SSO no longer accepts the token"));
    CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_tokens WHERE id = :id", token) == 0);
  }
}

TEST_CASE("tokens: delete removes the token and its scopes") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  auto token = token_of(daemon, kKarmaFleetPilot);
  browser.get("/account/tokens/manage/");
  auto deleted = browser.post("/account/tokens/delete/" + std::to_string(token) + "/", {});
  CHECK(deleted.status == 302);
  CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_tokens WHERE id = :id", token) == 0);
  CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM sso_token_scopes WHERE token_id = :id", token) == 0);
  auto page = browser.get("/account/tokens/manage/");
  CHECK(contains(page.body, "Deleted the token of Kaelen Brightwater."));
  CHECK(contains(page.body, "You have no tokens."));
}
