// SsoClient and TokenStore against the EVE emulator: code exchange, refresh
// with token rotation, revocation, key refetch, and what the token store
// deletes when the SSO rejects a refresh or cannot be reached.
#include <doctest/doctest.h>

#include <algorithm>

#include "aa/http_client.hpp"
#include "auth/crypto.hpp"
#include "db/database.hpp"
#include "emulator_process.hpp"
#include "scripted_http_server.hpp"
#include "sso/sso_client.hpp"
#include "sso/token_store.hpp"
#include "test_support.hpp"

using namespace aa::core;
namespace sample = aa::test::sample;

namespace {

SsoOptions emulator_options(const aa::test::EmulatorProcess& emulator) {
  SsoOptions options;
  options.client_id = aa::test::kEmulatorClientId;
  options.client_secret = aa::test::kEmulatorClientSecret;
  options.callback_url = "http://127.0.0.1:8000/sso/callback";
  options.metadata_url = emulator.metadata_url();
  options.issuers = {"login.eveonline.com", "https://login.eveonline.com"};
  options.timeout = std::chrono::seconds(5);
  return options;
}

SsoTokens tokens_of(const std::variant<SsoTokens, SsoError>& result) {
  if (auto* error = std::get_if<SsoError>(&result)) FAIL("unexpected SSO error: " << error->message);
  return std::get<SsoTokens>(result);
}

SsoError error_of(const std::variant<SsoTokens, SsoError>& result) {
  REQUIRE(std::holds_alternative<SsoError>(result));
  return std::get<SsoError>(result);
}

TokenClaims claims_of(SsoClient& sso, const std::string& access_token) {
  auto verified = sso.verify(access_token, {});
  if (auto* message = std::get_if<std::string>(&verified)) FAIL("token did not verify: " << *message);
  return std::get<TokenClaims>(verified);
}

long long count_tokens(soci::session& sql, long long character_id) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", soci::use(character_id), soci::into(count);
  return count;
}

// An SSO client, a token store and a fresh database, with the emulator's
// faults cleared at the end even when a check failed.
struct TokenStoreFixture {
  explicit TokenStoreFixture(const std::string& backend)
      : emulator(aa::test::shared_emulator()),
        database(backend),
        sql(database.db().pool()),
        box("unit-test-secret-key-0123456789-abcdef"),
        sso(emulator_options(emulator)),
        store(box, sso) {}
  ~TokenStoreFixture() { emulator.clear_faults(); }

  // Gets tokens for the character from the emulator and stores them as
  // expired, so the next valid_access_token() must refresh.
  std::pair<long long, aa::test::EmulatorTokens> store_expired(long long character_id) {
    auto tokens = emulator.tokens_for(character_id, {"publicData"});
    auto claims = claims_of(sso, tokens.access_token);
    claims.expires_at = unix_now() - 100;
    auto id = store.save(sql, std::nullopt, claims, {tokens.access_token, tokens.refresh_token, tokens.expires_in});
    return {id, tokens};
  }

  aa::test::EmulatorProcess& emulator;
  aa::test::TestDatabase database;
  soci::session sql;
  SecretBox box;
  SsoClient sso;
  TokenStore store;
};

}  // namespace

TEST_CASE("emulator process: starts and stops") {
  aa::test::EmulatorProcess emulator;
  CHECK(emulator.port() > 0);

  aa::HttpClientRequest request;
  request.url = emulator.metadata_url();
  auto response = aa::http_send(request);
  CHECK(response.status == 200);
  CHECK(response.body.find("\"token_endpoint\":\"" + emulator.base_url() + "/v2/oauth/token\"") != std::string::npos);

  emulator.inject_fault(R"({"esi": "5xx", "status": 503, "count": 1})");
  auto faults = emulator.control("GET", "faults").as_object().at("esi").as_object();
  CHECK(faults.at("failures_left").to_number<int>() == 1);
  CHECK(faults.at("failure_status").to_number<int>() == 503);
  CHECK_THROWS_WITH_AS(emulator.inject_fault(R"({"esi": "sideways"})"), doctest::Contains("sideways"),
                       std::runtime_error);

  CHECK(emulator.stop() == 0);
  request.connect_timeout = std::chrono::milliseconds(500);
  CHECK(aa::http_send(request).status == 0);
}

TEST_CASE("sso client: authorize URL reaches the emulator") {
  auto& emulator = aa::test::shared_emulator();
  SsoClient sso(emulator_options(emulator));

  auto url = sso.authorize_url("state-42", {"publicData", "esi-location.read_location.v1"});
  REQUIRE(std::holds_alternative<std::string>(url));
  const auto& text = std::get<std::string>(url);
  CHECK(text.starts_with(emulator.base_url() + "/v2/oauth/authorize?"));
  CHECK(text.find("client_id=aa-demo-client") != std::string::npos);
  CHECK(text.find("state=state-42") != std::string::npos);
  CHECK(text.find("redirect_uri=" + aa::url_encode("http://127.0.0.1:8000/sso/callback")) != std::string::npos);

  // The emulator accepts the URL as it is and redirects to the callback.
  aa::HttpClientRequest request;
  request.url = text + "&character_id=" + std::to_string(sample::kaelen_brightwater);
  auto response = aa::http_send(request);
  CHECK(response.status == 302);
  CHECK(response.header("location").starts_with("http://127.0.0.1:8000/sso/callback?code="));
  CHECK(response.header("location").find("state=state-42") != std::string::npos);
}

TEST_CASE("sso client: code exchange") {
  auto& emulator = aa::test::shared_emulator();
  SsoClient sso(emulator_options(emulator));
  auto code = emulator.authorize_code(sample::ilse_rendahl, {"publicData"});

  auto tokens = tokens_of(sso.exchange_code(code));
  CHECK(!tokens.access_token.empty());
  CHECK(!tokens.refresh_token.empty());
  CHECK(tokens.expires_in == 1199);
  auto claims = claims_of(sso, tokens.access_token);
  CHECK(claims.character_id == sample::ilse_rendahl);
  CHECK(claims.character_name == "Ilse Rendahl");

  // Metadata and keys are fetched once and reused.
  sso.exchange_code(emulator.authorize_code(sample::ilse_rendahl, {"publicData"}));
  claims_of(sso, tokens.access_token);
  CHECK(emulator.request_count("sso_metadata") == 1);
  CHECK(emulator.request_count("sso_jwks") == 1);
  CHECK(emulator.request_count("sso_token") == 2);
}

TEST_CASE("sso client: error kinds follow the status") {
  // The emulator cannot send 5xx or malformed token responses, so a scripted
  // server plays the SSO. It sends the metadata first, then one token response per case.
  aa::test::ScriptedHttpServer server({});
  auto base = server.base_url();
  server.append({200, {{"Content-Type", "application/json"}},
                 R"({"issuer": "https://login.eveonline.com", "authorization_endpoint": ")" + base +
                     R"(/v2/oauth/authorize", "token_endpoint": ")" + base +
                     R"(/v2/oauth/token", "revocation_endpoint": ")" + base + R"(/v2/oauth/revoke", "jwks_uri": ")" +
                     base + R"(/oauth/jwks"})"});
  struct Case {
    int status;
    std::string body;
    SsoError::Kind kind;
    std::string message;
  };
  std::vector<Case> cases{
      {503, "Service Unavailable", SsoError::Kind::unreachable, "503"},
      {500, R"({"error": "server_error"})", SsoError::Kind::unreachable, "500"},
      {400, R"({"error": "invalid_grant", "error_description": "code expired"})", SsoError::Kind::rejected,
       "code expired"},
      {401, R"({"error": "invalid_client"})", SsoError::Kind::rejected, "invalid_client"},
      {200, "<html>maintenance</html>", SsoError::Kind::invalid, "not JSON"},
      {200, R"({"token_type": "Bearer"})", SsoError::Kind::invalid, "no access_token"},
  };
  for (const auto& test : cases) server.append({test.status, {}, test.body});

  SsoClient sso(SsoOptions{aa::test::kEmulatorClientId, aa::test::kEmulatorClientSecret, "http://127.0.0.1/cb",
                           base + "/.well-known/oauth-authorization-server", {"https://login.eveonline.com"},
                           std::chrono::seconds(5), std::chrono::seconds(3600)});
  for (const auto& test : cases) {
    CAPTURE(test.status);
    CAPTURE(test.body);
    auto error = error_of(sso.exchange_code("code-1"));
    CHECK(error.kind == test.kind);
    CHECK(error.message.find(test.message) != std::string::npos);
  }

  auto requests = server.requests();
  REQUIRE(requests.size() == 1 + cases.size());
  CHECK(requests[1].method == "POST");
  CHECK(requests[1].target == "/v2/oauth/token");
  CHECK(requests[1].header("content-type") == "application/x-www-form-urlencoded");
  CHECK(requests[1].body == "grant_type=authorization_code&code=code-1");
  CHECK(requests[1].header("authorization") == "Basic " + base64_encode("aa-demo-client:aa-demo-secret"));
}

TEST_CASE("sso client: used code is rejected") {
  auto& emulator = aa::test::shared_emulator();
  SsoClient sso(emulator_options(emulator));
  auto code = emulator.authorize_code(sample::kaelen_brightwater, {"publicData"});

  tokens_of(sso.exchange_code(code));
  auto error = error_of(sso.exchange_code(code));
  CHECK(error.kind == SsoError::Kind::rejected);
  CHECK(error.message.find("rejected") != std::string::npos);

  emulator.inject_fault(R"({"sso": "reject_code", "count": 1})");
  error = error_of(sso.exchange_code(emulator.authorize_code(sample::kaelen_brightwater, {"publicData"})));
  CHECK(error.kind == SsoError::Kind::rejected);

  error = error_of(sso.exchange_code("never-issued"));
  CHECK(error.kind == SsoError::Kind::rejected);
}

TEST_CASE("sso client: SSO down is unreachable") {
  auto& emulator = aa::test::shared_emulator();
  SsoClient sso(emulator_options(emulator));
  auto code = emulator.authorize_code(sample::kaelen_brightwater, {"publicData"});
  auto refresh_token = emulator.tokens_for(sample::kaelen_brightwater).refresh_token;
  // Fetch the metadata while the SSO is up, as a running daemon would have.
  REQUIRE(std::holds_alternative<std::string>(sso.authorize_url("s", {"publicData"})));

  emulator.inject_fault(R"({"sso": "down"})");
  auto error = error_of(sso.exchange_code(code));
  CHECK(error.kind == SsoError::Kind::unreachable);
  CHECK(!error.message.empty());
  CHECK(error_of(sso.refresh(refresh_token)).kind == SsoError::Kind::unreachable);
  auto revoke_error = sso.revoke(refresh_token);
  REQUIRE(revoke_error.has_value());
  CHECK(revoke_error->kind == SsoError::Kind::unreachable);

  // Nothing was used up while the SSO was down.
  emulator.clear_faults();
  CHECK(tokens_of(sso.exchange_code(code)).access_token.size() > 0);
  CHECK(tokens_of(sso.refresh(refresh_token)).access_token.size() > 0);
}

TEST_CASE("sso client: refresh rotates the refresh token") {
  auto& emulator = aa::test::shared_emulator();
  SsoClient sso(emulator_options(emulator));
  auto first = emulator.tokens_for(sample::tovin_marsh);

  auto second = tokens_of(sso.refresh(first.refresh_token));
  CHECK(second.refresh_token != first.refresh_token);
  CHECK(second.access_token != first.access_token);
  CHECK(claims_of(sso, second.access_token).character_id == sample::tovin_marsh);

  auto reused = error_of(sso.refresh(first.refresh_token));
  CHECK(reused.kind == SsoError::Kind::rejected);
  CHECK(tokens_of(sso.refresh(second.refresh_token)).access_token.size() > 0);
}

TEST_CASE("sso client: revoked refresh token is rejected") {
  auto& emulator = aa::test::shared_emulator();
  SsoClient sso(emulator_options(emulator));
  auto tokens = emulator.tokens_for(sample::tovin_marsh);

  CHECK_FALSE(sso.revoke(tokens.refresh_token).has_value());
  CHECK(emulator.request_count("sso_revoke") == 1);
  CHECK(error_of(sso.refresh(tokens.refresh_token)).kind == SsoError::Kind::rejected);
}

TEST_CASE("sso client: unknown kid fetches keys again") {
  auto& emulator = aa::test::shared_emulator();
  SsoClient sso(emulator_options(emulator));
  auto tokens = emulator.tokens_for(sample::kaelen_brightwater);
  claims_of(sso, tokens.access_token);
  REQUIRE(emulator.request_count("sso_jwks") == 1);

  // Same token under a key id the SSO has not published.
  auto first_dot = tokens.access_token.find('.');
  auto header = R"({"alg":"RS256","kid":"rotated-key-2","typ":"JWT"})";
  auto token = base64url_encode(header) + tokens.access_token.substr(first_dot);
  auto result = sso.verify(token, {});
  REQUIRE(std::holds_alternative<std::string>(result));
  CHECK(std::get<std::string>(result).find("rotated-key-2") != std::string::npos);
  CHECK(emulator.request_count("sso_jwks") == 2);

  // A known key id does not fetch again.
  claims_of(sso, tokens.access_token);
  CHECK(emulator.request_count("sso_jwks") == 2);
}

TEST_CASE("token store: expired token is refreshed") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    TokenStoreFixture f(backend);
    auto [id, original] = f.store_expired(sample::kaelen_brightwater);

    auto access = f.store.valid_access_token(f.sql, sample::kaelen_brightwater, {"publicData"});
    REQUIRE(access.has_value());
    CHECK(*access != original.access_token);
    CHECK(claims_of(f.sso, *access).character_id == sample::kaelen_brightwater);

    auto stored = f.store.tokens_of_character(f.sql, sample::kaelen_brightwater);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].id == id);
    CHECK(stored[0].access_token == *access);
    CHECK(stored[0].refresh_token != original.refresh_token);
    CHECK(stored[0].expires_at > unix_now());
    CHECK(stored[0].scopes == std::vector<std::string>{"publicData"});

    // The store kept the newest refresh token, because the SSO rejects the old one.
    CHECK(error_of(f.sso.refresh(original.refresh_token)).kind == SsoError::Kind::rejected);
    auto refreshes = f.emulator.request_count("sso_token");

    // A fresh token is returned as it is, without another refresh.
    CHECK(f.store.valid_access_token(f.sql, sample::kaelen_brightwater, {"publicData"}) == *access);
    CHECK(f.emulator.request_count("sso_token") == refreshes);

    // The stored refresh token works; this rotates it, so it comes last.
    CHECK(tokens_of(f.sso.refresh(stored[0].refresh_token)).access_token.size() > 0);

    // A token without the requested scope is not used.
    CHECK_FALSE(f.store.valid_access_token(f.sql, sample::kaelen_brightwater, {"esi-fleets.read_fleet.v1"}));
  }
}

TEST_CASE("token store: rejected refresh deletes that token") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    TokenStoreFixture f(backend);
    // Kaelen has a valid older token and a newer expired one whose refresh
    // token was revoked. Tovin has an expired token of his own.
    auto valid_tokens = f.emulator.tokens_for(sample::kaelen_brightwater, {"publicData"});
    auto valid_claims = claims_of(f.sso, valid_tokens.access_token);
    auto valid_id = f.store.save(f.sql, std::nullopt, valid_claims,
                                 {valid_tokens.access_token, valid_tokens.refresh_token, valid_tokens.expires_in});
    auto [revoked_id, revoked] = f.store_expired(sample::kaelen_brightwater);
    REQUIRE_FALSE(f.sso.revoke(revoked.refresh_token).has_value());
    auto [other_id, other] = f.store_expired(sample::tovin_marsh);

    auto access = f.store.valid_access_token(f.sql, sample::kaelen_brightwater, {"publicData"});
    CHECK(access == valid_tokens.access_token);

    auto kaelen = f.store.tokens_of_character(f.sql, sample::kaelen_brightwater);
    REQUIRE(kaelen.size() == 1);
    CHECK(kaelen[0].id == valid_id);
    long long orphan_scopes = -1;
    f.sql << "SELECT COUNT(*) FROM sso_token_scopes WHERE token_id = :id", soci::use(revoked_id),
        soci::into(orphan_scopes);
    CHECK(orphan_scopes == 0);
    auto tovin = f.store.tokens_of_character(f.sql, sample::tovin_marsh);
    REQUIRE(tovin.size() == 1);
    CHECK(tovin[0].id == other_id);
    CHECK(tovin[0].refresh_token == other.refresh_token);
  }
}

TEST_CASE("token store: unreachable SSO deletes nothing") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    TokenStoreFixture f(backend);
    auto [id, original] = f.store_expired(sample::kaelen_brightwater);
    auto before = f.store.tokens_of_character(f.sql, sample::kaelen_brightwater);

    f.emulator.inject_fault(R"({"sso": "down"})");
    CHECK_FALSE(f.store.valid_access_token(f.sql, sample::kaelen_brightwater, {"publicData"}));
    auto after = f.store.tokens_of_character(f.sql, sample::kaelen_brightwater);
    REQUIRE(after.size() == 1);
    CHECK(after[0].id == id);
    CHECK(after[0].refresh_token == original.refresh_token);
    CHECK(after[0].expires_at == before[0].expires_at);
    CHECK(count_tokens(f.sql, sample::kaelen_brightwater) == 1);

    // Once the SSO is back, the kept token refreshes.
    f.emulator.clear_faults();
    CHECK(f.store.valid_access_token(f.sql, sample::kaelen_brightwater, {"publicData"}).has_value());
  }
}

TEST_CASE("token store: unverifiable refresh keeps the rotation") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    TokenStoreFixture f(backend);
    auto [id, original] = f.store_expired(sample::kaelen_brightwater);

    // The refresh succeeds, so the SSO rotates the refresh token, but the new
    // access token fails verification and is not used.
    f.emulator.inject_fault(R"({"sso_token": "invalid_signature"})");
    CHECK_FALSE(f.store.valid_access_token(f.sql, sample::kaelen_brightwater, {"publicData"}));
    auto stored = f.store.tokens_of_character(f.sql, sample::kaelen_brightwater);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].refresh_token != original.refresh_token);

    // The kept refresh token is the rotated one, so the next refresh works.
    auto access = f.store.valid_access_token(f.sql, sample::kaelen_brightwater, {"publicData"});
    REQUIRE(access.has_value());
    CHECK(claims_of(f.sso, *access).character_id == sample::kaelen_brightwater);
    CHECK(count_tokens(f.sql, sample::kaelen_brightwater) == 1);
  }
}

TEST_CASE("token store: tokens are encrypted at rest") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    TokenStoreFixture f(backend);
    auto [id, original] = f.store_expired(sample::mira_osullivan);

    std::string access_column;
    std::string refresh_column;
    f.sql << "SELECT access_token, refresh_token FROM sso_tokens WHERE id = :id", soci::use(id),
        soci::into(access_column), soci::into(refresh_column);
    CHECK(access_column.find(original.access_token) == std::string::npos);
    CHECK(refresh_column.find(original.refresh_token) == std::string::npos);
    CHECK(f.box.open(access_column) == original.access_token);
    CHECK(f.box.open(refresh_column) == original.refresh_token);

    // Under another secret_key the token cannot be opened and reads as empty.
    SecretBox other_box("another-secret-key-0123456789-abcdefgh");
    TokenStore other_store(other_box, f.sso);
    auto unreadable = other_store.tokens_of_character(f.sql, sample::mira_osullivan);
    REQUIRE(unreadable.size() == 1);
    CHECK(unreadable[0].access_token.empty());
    CHECK(unreadable[0].refresh_token.empty());
  }
}
