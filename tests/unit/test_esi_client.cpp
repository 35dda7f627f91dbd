// CoreEsiClient and fetch_affiliation against the EVE emulator (retries,
// error limit, cache, ESI down, affiliations), and against a scripted server
// for what the emulator cannot show: request headers and ETag revalidation.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "aa/http_client.hpp"
#include "aa/version.hpp"
#include "auth/accounts.hpp"
#include "emulator_process.hpp"
#include "eve/esi_client.hpp"
#include "eve/eve_entities.hpp"
#include "scripted_http_server.hpp"
#include "test_support.hpp"

using namespace aa::core;
namespace sample = aa::test::sample;

namespace {

// Short pauses keep the suite fast, and the retry logic is the same.
EsiOptions fast_options(const std::string& base_url, int retries = 3) {
  EsiOptions options;
  options.base_url = base_url;
  options.user_agent = esi_user_agent("ops@example.com");
  options.timeout = std::chrono::seconds(5);
  options.retries = retries;
  options.retry_pause = std::chrono::milliseconds(1);
  options.max_error_limit_wait = std::chrono::milliseconds(20);
  return options;
}

CharacterAffiliation affiliation_of(const std::variant<CharacterAffiliation, std::string>& result) {
  if (auto* error = std::get_if<std::string>(&result)) FAIL("fetch_affiliation failed: " << *error);
  return std::get<CharacterAffiliation>(result);
}

// Restores the emulator's faults when a test ends, even after a failed check.
struct FaultGuard {
  ~FaultGuard() { emulator.clear_faults(); }
  aa::test::EmulatorProcess& emulator;
};

}  // namespace

TEST_CASE("esi client: retries injected 5xx") {
  auto& emulator = aa::test::shared_emulator();
  FaultGuard guard{emulator};
  CoreEsiClient esi(fast_options(emulator.esi_url(), 3), nullptr);

  emulator.inject_fault(R"({"esi": "5xx", "status": 502, "count": 2})");
  auto response = esi.get("/status/");
  CHECK(response.status == 200);
  CHECK(response.error.empty());
  CHECK(response.body.find("\"players\"") != std::string::npos);
  CHECK(emulator.request_count("get_status") == 3);
}

TEST_CASE("esi client: gives up after the retries") {
  auto& emulator = aa::test::shared_emulator();
  FaultGuard guard{emulator};
  CoreEsiClient esi(fast_options(emulator.esi_url(), 2), nullptr);

  emulator.inject_fault(R"({"esi": "5xx", "status": 503, "count": 10})");
  auto response = esi.get("/status/");
  CHECK(response.status == 503);
  CHECK_FALSE(response.ok());
  CHECK(response.error == "Service unavailable");
  CHECK(response.body.find("Service unavailable") != std::string::npos);
  CHECK(emulator.request_count("get_status") == 3);

  // A failed POST is retried the same way.
  emulator.clear_requests();
  auto post = esi.post("/characters/affiliation/", "[2112000001]");
  CHECK(post.status == 503);
  CHECK(emulator.request_count("post_characters_affiliation") == 3);
}

TEST_CASE("esi client: 404 is not retried") {
  auto& emulator = aa::test::shared_emulator();
  CoreEsiClient esi(fast_options(emulator.esi_url(), 3), nullptr);

  auto response = esi.get("/characters/2112999999/");
  CHECK(response.status == 404);
  CHECK(response.error == "Character not found");
  CHECK(emulator.request_count("get_characters_character_id") == 1);
}

TEST_CASE("esi client: 420 waits and retries") {
  auto& emulator = aa::test::shared_emulator();
  FaultGuard guard{emulator};

  CoreEsiClient esi(fast_options(emulator.esi_url(), 3), nullptr);
  emulator.inject_fault(R"({"esi": "error_limited", "count": 1})");
  auto start = std::chrono::steady_clock::now();
  auto response = esi.get("/status/");
  auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(response.status == 200);
  CHECK(emulator.request_count("get_status") == 2);
  // The wait is X-ESI-Error-Limit-Reset seconds, capped by max_error_limit_wait.
  CHECK(elapsed >= std::chrono::milliseconds(20));
  CHECK(elapsed < std::chrono::seconds(2));

  CoreEsiClient no_retries(fast_options(emulator.esi_url(), 0), nullptr);
  emulator.inject_fault(R"({"esi": "error_limited", "count": 1})");
  response = no_retries.get("/alliances/1354830081/");
  CHECK(response.status == 420);
  CHECK(response.error.find("error limited") != std::string::npos);
}

TEST_CASE("esi client: ESI down gives status 0") {
  auto& emulator = aa::test::shared_emulator();
  FaultGuard guard{emulator};
  CoreEsiClient esi(fast_options(emulator.esi_url(), 1), nullptr);

  emulator.inject_fault(R"({"esi": "down"})");
  auto response = esi.get("/status/");
  CHECK(response.status == 0);
  CHECK_FALSE(response.error.empty());
  CHECK(response.body.empty());

  // Nothing listening at all is the same.
  CoreEsiClient closed(fast_options("http://127.0.0.1:9/latest", 0), nullptr);
  response = closed.get("/status/");
  CHECK(response.status == 0);
  CHECK_FALSE(response.error.empty());
}

TEST_CASE("esi client: fresh responses come from the cache") {
  auto& emulator = aa::test::shared_emulator();
  CoreEsiClient esi(fast_options(emulator.esi_url()), nullptr);

  auto first = esi.get("/corporations/98370861/");
  auto second = esi.get("/corporations/98370861/");
  CHECK(first.status == 200);
  CHECK_FALSE(first.from_cache);
  CHECK(second.status == 200);
  CHECK(second.from_cache);
  CHECK(second.body == first.body);
  CHECK(emulator.request_count("get_corporations_corporation_id") == 1);

  // POSTs are never cached, and clear_cache() drops cached GETs.
  esi.post("/characters/affiliation/", "[2112000001]");
  esi.post("/characters/affiliation/", "[2112000001]");
  CHECK(emulator.request_count("post_characters_affiliation") == 2);
  esi.clear_cache();
  CHECK_FALSE(esi.get("/corporations/98370861/").from_cache);
  CHECK(emulator.request_count("get_corporations_corporation_id") == 2);
}

TEST_CASE("esi client: ETag revalidation uses the cache") {
  const std::string body = R"({"name": "KarmaFleet", "ticker": "KARMA"})";
  aa::test::ScriptedHttpServer server({
      {200, {{"ETag", "\"v1\""}, {"Expires", "Thu, 01 Jan 2015 00:00:00 GMT"}}, body},
      {304, {{"ETag", "\"v1\""}, {"Expires", "Thu, 01 Jan 2015 00:00:00 GMT"}}, ""},
      {304, {{"Expires", "Thu, 01 Jan 2015 00:00:00 GMT"}}, ""},
  });
  CoreEsiClient esi(fast_options(server.base_url() + "/latest"), nullptr);

  auto first = esi.get("/corporations/98370861/");
  CHECK(first.status == 200);
  CHECK_FALSE(first.from_cache);
  auto second = esi.get("/corporations/98370861/");
  CHECK(second.status == 200);
  CHECK(second.from_cache);
  CHECK(second.body == body);
  // A 304 without an ETag keeps the one already cached.
  auto third = esi.get("/corporations/98370861/");
  CHECK(third.body == body);

  auto requests = server.requests();
  REQUIRE(requests.size() == 3);
  CHECK(requests[0].target == "/latest/corporations/98370861/");
  CHECK(requests[0].header("if-none-match").empty());
  CHECK(requests[1].header("if-none-match") == "\"v1\"");
  CHECK(requests[2].header("if-none-match") == "\"v1\"");
}

TEST_CASE("esi client: emulator answers a conditional GET with 304") {
  // The emulator's Expires dates lie in the future, so the client never
  // revalidates with it on its own. This checks that its ETags match.
  auto& emulator = aa::test::shared_emulator();
  aa::HttpClientRequest request;
  request.url = emulator.esi_url() + "/alliances/1354830081/";
  auto first = aa::http_send(request);
  REQUIRE(first.status == 200);
  auto etag = first.header("etag");
  REQUIRE_FALSE(etag.empty());

  request.headers = {{"If-None-Match", etag}};
  auto second = aa::http_send(request);
  CHECK(second.status == 304);
  CHECK(second.body.empty());
  CHECK(emulator.request_count("get_alliances_alliance_id") == 2);
}

TEST_CASE("esi client: User-Agent names the contact") {
  auto agent = esi_user_agent("ops@example.com");
  CHECK(agent.starts_with(std::string("AllianceAuthCpp/") + aa::kVersion + " "));
  CHECK(agent.find("ops@example.com") != std::string::npos);
  CHECK(esi_user_agent("").find("no contact configured") != std::string::npos);

  aa::test::ScriptedHttpServer server({{200, {}, "[]"}, {200, {}, "[]"}});
  CoreEsiClient esi(fast_options(server.base_url()), nullptr);
  esi.get("/status/");
  esi.post("/universe/names/", "[1354830081]");
  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].header("user-agent") == agent);
  CHECK(requests[0].header("accept") == "application/json");
  CHECK(requests[1].method == "POST");
  CHECK(requests[1].header("user-agent") == agent);
  CHECK(requests[1].header("content-type") == "application/json");
  CHECK(requests[1].body == "[1354830081]");
}

TEST_CASE("esi client: authenticated GET sends the token") {
  std::vector<std::pair<long long, std::vector<std::string>>> token_requests;
  TokenSource tokens = [&](long long character_id, const std::vector<std::string>& scopes) {
    token_requests.emplace_back(character_id, scopes);
    return character_id == sample::kaelen_brightwater ? std::optional<std::string>("access-token-1") : std::nullopt;
  };
  aa::test::ScriptedHttpServer server({{200, {{"Expires", "Thu, 01 Jan 2099 00:00:00 GMT"}}, "{}"},
                                       {200, {{"Expires", "Thu, 01 Jan 2099 00:00:00 GMT"}}, "{}"}});
  CoreEsiClient esi(fast_options(server.base_url()), tokens);

  auto path = "/characters/" + std::to_string(sample::kaelen_brightwater) + "/location/";
  CHECK(esi.get_authed(path, sample::kaelen_brightwater, {"esi-location.read_location.v1"}).status == 200);
  // Authenticated responses are never served from the cache.
  CHECK_FALSE(esi.get_authed(path, sample::kaelen_brightwater, {"esi-location.read_location.v1"}).from_cache);
  auto missing = esi.get_authed("/characters/2112000002/location/", sample::tovin_marsh, {"publicData"});
  CHECK(missing.status == 0);
  CHECK(missing.error.find("no valid token of character 2112000002") != std::string::npos);

  auto requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].header("authorization") == "Bearer access-token-1");
  REQUIRE(token_requests.size() == 3);
  CHECK(token_requests[0].second == std::vector<std::string>{"esi-location.read_location.v1"});
}

TEST_CASE("affiliation: character in an alliance") {
  auto& emulator = aa::test::shared_emulator();
  CoreEsiClient esi(fast_options(emulator.esi_url()), nullptr);

  auto affiliation = affiliation_of(fetch_affiliation(esi, sample::kaelen_brightwater));
  const auto& character = affiliation.character;
  CHECK(character.character_name == "Kaelen Brightwater");
  CHECK(character.corporation_id == 98370861);
  CHECK(character.corporation_name == "KarmaFleet");
  CHECK(character.corporation_ticker == affiliation.corporation.ticker);
  CHECK_FALSE(affiliation.corporation.ticker.empty());
  CHECK(character.alliance_id == 1354830081);
  CHECK(character.alliance_name == "Goonswarm Federation");
  CHECK_FALSE(character.faction_id.has_value());
  REQUIRE(affiliation.alliance.has_value());
  CHECK(affiliation.alliance->alliance_id == 1354830081);
  CHECK(affiliation.alliance->executor_corp_id.has_value());
  CHECK_FALSE(affiliation.faction.has_value());

  // A name from the SSO token saves the character sheet request.
  emulator.clear_requests();
  affiliation_of(fetch_affiliation(esi, sample::kaelen_brightwater, "Kaelen Brightwater"));
  CHECK(emulator.request_count("get_characters_character_id") == 0);
  CHECK(emulator.request_count("post_characters_affiliation") == 1);
}

TEST_CASE("affiliation: character in an NPC corporation") {
  auto& emulator = aa::test::shared_emulator();
  CoreEsiClient esi(fast_options(emulator.esi_url()), nullptr);

  auto affiliation = affiliation_of(fetch_affiliation(esi, sample::oren_falk));
  CHECK(affiliation.character.character_name == "Oren Falk");
  CHECK(affiliation.character.corporation_id == 1000044);
  CHECK(affiliation.character.corporation_name == "School of Applied Knowledge");
  CHECK_FALSE(affiliation.character.alliance_id.has_value());
  CHECK_FALSE(affiliation.alliance.has_value());
  CHECK_FALSE(affiliation.character.faction_id.has_value());
  CHECK(emulator.request_count("get_alliances_alliance_id") == 0);
}

TEST_CASE("affiliation: faction warfare character") {
  auto& emulator = aa::test::shared_emulator();
  CoreEsiClient esi(fast_options(emulator.esi_url()), nullptr);

  auto affiliation = affiliation_of(fetch_affiliation(esi, sample::dagny_solheim));
  CHECK(affiliation.character.corporation_id == 1000182);
  CHECK(affiliation.character.corporation_name == "Tribal Liberation Force");
  CHECK(affiliation.character.faction_id == 500002);
  CHECK(affiliation.character.faction_name == "Minmatar Republic");
  REQUIRE(affiliation.faction.has_value());
  CHECK(affiliation.faction->faction_id == 500002);
  CHECK(affiliation.faction->name == "Minmatar Republic");
}

TEST_CASE("affiliation: unknown character fails") {
  auto& emulator = aa::test::shared_emulator();
  CoreEsiClient esi(fast_options(emulator.esi_url()), nullptr);

  auto result = fetch_affiliation(esi, 2112999999);
  REQUIRE(std::holds_alternative<std::string>(result));
  const auto& message = std::get<std::string>(result);
  CHECK(message.find("/characters/affiliation/") != std::string::npos);
  CHECK(message.find("failed") != std::string::npos);
}

TEST_CASE("affiliation: ESI down fails") {
  auto& emulator = aa::test::shared_emulator();
  FaultGuard guard{emulator};
  CoreEsiClient esi(fast_options(emulator.esi_url(), 0), nullptr);

  emulator.inject_fault(R"({"esi": "down"})");
  auto result = fetch_affiliation(esi, sample::kaelen_brightwater);
  REQUIRE(std::holds_alternative<std::string>(result));
  CHECK(std::get<std::string>(result).find("/characters/affiliation/ failed") != std::string::npos);
}

TEST_CASE("affiliation: saved and updated in the database") {
  auto& emulator = aa::test::shared_emulator();
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    soci::session sql(database.db().pool());
    CoreEsiClient esi(fast_options(emulator.esi_url()), nullptr);

    save_affiliation(sql, affiliation_of(fetch_affiliation(esi, sample::dagny_solheim)));
    auto dagny = load_character(sql, sample::dagny_solheim);
    REQUIRE(dagny.has_value());
    CHECK(dagny->character_name == "Dagny Solheim");
    CHECK(dagny->faction_id == 500002);
    CHECK(dagny->faction_name == "Minmatar Republic");
    CHECK_FALSE(dagny->alliance_id.has_value());

    save_affiliation(sql, affiliation_of(fetch_affiliation(esi, sample::kaelen_brightwater)));
    // Kaelen moves to Omicron Project, which brings its alliance.
    emulator.update_character(sample::kaelen_brightwater, R"({"corporation_id": 98179071})");
    save_affiliation(sql, affiliation_of(fetch_affiliation(esi, sample::kaelen_brightwater)));
    auto kaelen = load_character(sql, sample::kaelen_brightwater);
    REQUIRE(kaelen.has_value());
    CHECK(kaelen->corporation_id == 98179071);
    CHECK(kaelen->corporation_name == "Omicron Project");
    CHECK(kaelen->alliance_id == 150097440);
    CHECK(kaelen->alliance_name == "Get Off My Lawn");

    long long corporations = 0;
    long long alliances = 0;
    long long factions = 0;
    sql << "SELECT COUNT(*) FROM eve_corporations", soci::into(corporations);
    sql << "SELECT COUNT(*) FROM eve_alliances", soci::into(alliances);
    sql << "SELECT COUNT(*) FROM eve_factions", soci::into(factions);
    CHECK(corporations == 3);
    CHECK(alliances == 2);
    CHECK(factions == 1);
    emulator.reset();
  }
}
