// EVE SSO login over HTTP: the dashboard, states, sessions, CSRF, and what
// happens on forged states, rejected codes and ESI outages.
#include <doctest/doctest.h>

#include <thread>

#include "harness.hpp"

using namespace aa::test;

namespace {

// Sample characters of the emulator (tests/data/emulator/characters.json).
constexpr long long kKarmaFleetPilot = 2112000001;   // KarmaFleet, Goonswarm Federation
constexpr long long kOmicronPilot = 2112000002;      // Omicron Project, Get Off My Lawn
constexpr long long kApostrophePilot = 2112000004;   // Mira O'Sullivan, KarmaFleet
constexpr long long kNpcCorpPilot = 2112000005;      // NPC corporation, no alliance
constexpr long long kBiomassedPilot = 2112000007;    // Doomheim

void make_goonswarm_members(Daemon& daemon) {
  auto& sql = daemon.db();
  sql << "INSERT INTO eve_alliances (alliance_id, alliance_name) VALUES (1354830081, 'Goonswarm Federation')";
  sql << "INSERT INTO state_member_alliances (state_id, alliance_id) "
         "SELECT id, 1354830081 FROM states WHERE name = 'Member'";
  sql << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";
}

}  // namespace

TEST_CASE("login: first SSO login creates the user and shows the dashboard") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    make_goonswarm_members(daemon);
    Browser browser(daemon.base_url());

    auto callback = sso_flow(browser, kApostrophePilot);
    CHECK(callback.status == 302);
    CHECK(callback.location() == "/dashboard/");

    auto dashboard = browser.get("/dashboard/");
    REQUIRE(dashboard.status == 200);
    CHECK(dashboard.body.find("id=\"aa-main-name\">Mira O&#39;Sullivan</h2>") != std::string::npos);
    CHECK(dashboard.body.find("id=\"aa-state\" title=\"State\">Member</span>") != std::string::npos);
    CHECK(dashboard.body.find("KarmaFleet") != std::string::npos);
    CHECK(dashboard.body.find("https://images.evetech.net/corporations/98370861/logo?size=128") != std::string::npos);
    CHECK(dashboard.body.find("https://images.evetech.net/alliances/1354830081/logo?size=128") != std::string::npos);
    CHECK(dashboard.body.find("href=\"/dashboard/\"") != std::string::npos);

    std::string username;
    daemon.db() << "SELECT username FROM users", soci::into(username);
    CHECK(username == "Mira_OSullivan");
  }
}

TEST_CASE("login: a character outside every state is a guest") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    make_goonswarm_members(daemon);
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kOmicronPilot).status == 302);
    auto dashboard = browser.get("/dashboard/");
    CHECK(dashboard.body.find("id=\"aa-state\" title=\"State\">Guest</span>") != std::string::npos);
  }
}

TEST_CASE("login: the session id is rotated at login and cleared at logout") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());

  // Viewing a page stores no session; starting an SSO login does.
  browser.get("/account/login/");
  CHECK_FALSE(browser.cookie("sessionid"));
  CHECK(count_rows(daemon.db(), "sessions") == 0);
  browser.get("/sso/login/");
  auto anonymous = browser.cookie("sessionid");
  REQUIRE(anonymous);
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  auto logged_in = browser.cookie("sessionid");
  REQUIRE(logged_in);
  CHECK(*logged_in != *anonymous);

  // The pre-login session id does not carry the login.
  Browser attacker(daemon.base_url());
  attacker.set_cookie("sessionid", *anonymous);
  CHECK(attacker.get("/dashboard/").status == 302);

  auto dashboard = browser.get("/dashboard/");
  REQUIRE(dashboard.status == 200);
  auto logout = browser.post("/account/logout/", {});
  CHECK(logout.status == 302);
  CHECK(logout.header("set-cookie").find("Max-Age=0") != std::string::npos);

  Browser replay(daemon.base_url());
  replay.set_cookie("sessionid", *logged_in);
  CHECK(replay.get("/dashboard/").status == 302);
}

TEST_CASE("login: unsafe requests without a valid CSRF token are rejected") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  browser.get("/dashboard/");

  auto missing = browser.post("/account/logout/", {}, false);
  CHECK(missing.status == 403);
  CHECK(missing.body.find("CSRF verification failed") != std::string::npos);

  auto wrong = browser.post("/account/logout/", {{"csrfmiddlewaretoken", "not-the-token"}}, false);
  CHECK(wrong.status == 403);

  auto foreign = browser.post("/account/logout/", {}, true, {"Origin: http://evil.example"});
  CHECK(foreign.status == 403);

  // Sandboxed frames and data: pages send the opaque origin "null".
  auto opaque = browser.post("/account/logout/", {}, true, {"Origin: null"});
  CHECK(opaque.status == 403);

  // Visitors without a session use the token of their csrftoken cookie.
  Browser visitor(daemon.base_url());
  visitor.get("/admin/login/");
  REQUIRE(visitor.cookie("csrftoken"));
  CHECK(visitor.post("/admin/login/", {{"username", "x"}, {"password", "y"}}, false).status == 403);
  CHECK(visitor.post("/admin/login/", {{"username", "x"}, {"password", "y"}}).status == 400);
  Browser stranger(daemon.base_url());
  stranger.get("/admin/login/");
  CHECK(stranger.post("/admin/login/", {{"username", "x"}, {"password", "y"}, {"csrfmiddlewaretoken", visitor.csrf_token()}},
                      false)
            .status == 403);

  // Still logged in after all four.
  CHECK(browser.get("/dashboard/").status == 200);
  CHECK(browser.post("/account/logout/", {}).status == 302);
  CHECK(browser.get("/dashboard/").status == 302);
}

TEST_CASE("login: a forged, replayed or foreign SSO state logs nobody in") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());

  auto start = browser.get("/sso/login/");
  REQUIRE(start.status == 302);
  auto authorize = browser.get(start.location() + "&character_id=" + std::to_string(kKarmaFleetPilot));
  REQUIRE(authorize.status == 302);
  auto callback_url = authorize.location();

  // Another browser, without a session or with a session of its own,
  // cannot use the callback, and cannot burn the state either.
  Browser other(daemon.base_url());
  CHECK(other.get(callback_url).status == 400);
  other.get("/sso/login/");
  REQUIRE(other.cookie("sessionid"));
  auto foreign = other.get(callback_url);
  CHECK(foreign.status == 400);
  CHECK(foreign.body.find("expired or was already used") != std::string::npos);

  // A forged state from the right browser.
  auto forged = callback_url.substr(0, callback_url.find("state=")) + "state=forged";
  CHECK(browser.get(forged).status == 400);
  CHECK(count_rows(daemon.db(), "users") == 0);

  // The browser that started the flow still logs in, once.
  CHECK(browser.get(callback_url).status == 302);
  CHECK(count_rows(daemon.db(), "users") == 1);
  CHECK(browser.get(callback_url).status == 400);
}

TEST_CASE("login: a replayed callback is rejected") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  auto start = browser.get("/sso/login/");
  auto authorize = browser.get(start.location() + "&character_id=" + std::to_string(kKarmaFleetPilot));
  auto callback = browser.get(authorize.location());
  CHECK(callback.status == 302);
  auto replay = browser.get(authorize.location());
  CHECK(replay.status == 400);
}

TEST_CASE("login: a code the SSO rejects gives a clear page and no user") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  emulator.control("faults", R"({"sso":"reject_code"})");
  auto callback = sso_flow(browser, kKarmaFleetPilot);
  emulator.clear_faults();
  CHECK(callback.status == 400);
  CHECK(callback.body.find("did not accept this login") != std::string::npos);
  CHECK(count_rows(daemon.db(), "users") == 0);
  CHECK(daemon.log().find("SSO callback") != std::string::npos);
}

TEST_CASE("login: invalid tokens are refused") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  for (const char* fault : {"invalid_signature", "wrong_issuer", "expired", "missing_scopes", "wrong_audience"}) {
    CAPTURE(std::string(fault));
    Browser browser(daemon.base_url());
    emulator.control("faults", std::string(R"({"sso_token":")") + fault + "\"}");
    auto callback = sso_flow(browser, kKarmaFleetPilot);
    emulator.clear_faults();
    CHECK(callback.status == 400);
    CHECK(callback.body.find("token from EVE SSO is not valid") != std::string::npos);
    CHECK(browser.get("/dashboard/").status == 302);
  }
  CHECK(count_rows(daemon.db(), "users") == 0);
}

TEST_CASE("login: ESI down during a first login creates nothing") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser browser(daemon.base_url());
    emulator.control("faults", R"({"esi":"5xx","status":503,"count":100})");
    auto callback = sso_flow(browser, kNpcCorpPilot);
    emulator.clear_faults();
    CHECK(callback.status == 503);
    CHECK(callback.body.find("ESI service is unavailable") != std::string::npos);
    CHECK(count_rows(daemon.db(), "users") == 0);
    CHECK(count_rows(daemon.db(), "eve_characters") == 0);
    CHECK(count_rows(daemon.db(), "sso_tokens") == 0);

    // Once ESI is back, the same character logs in.
    Browser again(daemon.base_url());
    CHECK(sso_flow(again, kNpcCorpPilot).status == 302);
    CHECK(count_rows(daemon.db(), "users") == 1);
  }
}

TEST_CASE("login: an alt cannot log in, its main can") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  auto added = sso_flow(browser, kOmicronPilot, "/account/characters/add/");
  CHECK(added.status == 302);
  auto dashboard = browser.get("/dashboard/");
  CHECK(dashboard.body.find("Tovin Marsh") != std::string::npos);
  browser.post("/account/logout/", {});

  Browser alt(daemon.base_url());
  auto refused = sso_flow(alt, kOmicronPilot);
  CHECK(refused.status == 302);
  CHECK(refused.location() == "/account/login/");
  auto page = alt.get("/account/login/");
  CHECK(page.body.find("Please log in with the main character") != std::string::npos);
  CHECK(alt.get("/dashboard/").status == 302);
  CHECK(count_rows(daemon.db(), "users") == 1);

  Browser main(daemon.base_url());
  CHECK(sso_flow(main, kKarmaFleetPilot).status == 302);
  CHECK(main.get("/dashboard/").status == 200);
}

TEST_CASE("login: a sold character moves to a new account") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser seller(daemon.base_url());
  REQUIRE(sso_flow(seller, kKarmaFleetPilot).status == 302);
  REQUIRE(sso_flow(seller, kOmicronPilot, "/account/characters/add/").status == 302);
  seller.post("/account/logout/", {});

  emulator.control("characters/" + std::to_string(kOmicronPilot), R"({"owner_hash":"bmV3IG93bmVyIGhhc2ggeHg="})");
  Browser buyer(daemon.base_url());
  auto login = sso_flow(buyer, kOmicronPilot);
  emulator.control("reset", "{}");
  CHECK(login.status == 302);
  CHECK(login.location() == "/dashboard/");
  CHECK(count_rows(daemon.db(), "users") == 2);
  std::string username;
  daemon.db() << "SELECT u.username FROM users u JOIN character_ownerships o ON o.user_id = u.id "
                 "WHERE o.character_id = :id",
      soci::use(kOmicronPilot), soci::into(username);
  CHECK(username == "Tovin_Marsh");
  CHECK(count_rows(daemon.db(), "ownership_records") == 3);
  long long notes = 0;
  daemon.db() << "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id "
                 "WHERE u.username = 'Kaelen_Brightwater'",
      soci::into(notes);
  CHECK(notes == 1);
}

TEST_CASE("login: a biomassed character cannot log in") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  auto login = sso_flow(browser, kBiomassedPilot);
  CHECK(login.status == 302);
  CHECK(login.location() == "/account/login/");
  CHECK(browser.get("/account/login/").body.find("biomassed") != std::string::npos);
  CHECK(count_rows(daemon.db(), "sso_tokens") == 0);
  CHECK(count_rows(daemon.db(), "users") == 0);
}

TEST_CASE("login: pages need a login and a main character") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser anonymous(daemon.base_url());
  auto redirect = anonymous.get("/dashboard/");
  CHECK(redirect.status == 302);
  CHECK(redirect.location() == "/account/login/?next=%2Fdashboard%2F");

  // An admin created on the command line has no main character yet.
  auto created = daemon.cli({"createsuperuser", "--username", "admin", "--email", "admin@example.com",
                             "--password-env", "AA_TEST_PASSWORD", "--noinput"});
  (void)created;
  CHECK(created.status != 0);  // The variable is not set: a clear error, nothing created.
  CHECK(created.output.find("AA_TEST_PASSWORD is not set") != std::string::npos);
  auto made = run_command((bin_dir() / "allianceauth").string(),
                          {"--config", daemon.config_file().string(), "createsuperuser", "--username", "admin",
                           "--email", "admin@example.com", "--password-env", "AA_TEST_PASSWORD", "--noinput"},
                          {"AA_TEST_PASSWORD=correct horse battery"});
  REQUIRE(made.status == 0);

  Browser admin(daemon.base_url());
  admin.get("/admin/login/");
  auto bad = admin.post("/admin/login/", {{"username", "admin"}, {"password", "wrong password"}});
  CHECK(bad.status == 400);
  auto good = admin.post("/admin/login/", {{"username", "admin"}, {"password", "correct horse battery"}});
  CHECK(good.status == 302);
  auto dashboard = admin.get("/dashboard/");
  CHECK(dashboard.status == 302);
  CHECK(dashboard.location() == "/account/characters/main/");
  auto choose = admin.get("/account/characters/main/");
  CHECK(choose.status == 200);
  CHECK(choose.body.find("A main character is required") != std::string::npos);

  // Adding a character through SSO makes it the main; the superuser panel shows.
  CHECK(sso_flow(admin, kKarmaFleetPilot, "/account/characters/add/").status == 302);
  auto panel = admin.get("/dashboard/");
  REQUIRE(panel.status == 200);
  CHECK(panel.body.find("id=\"aa-admin-panel\"") != std::string::npos);
  CHECK(panel.body.find("SQLite") != std::string::npos);
}

TEST_CASE("login: characters, corporations, alliances and factions are filled from ESI") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
    REQUIRE(sso_flow(browser, 2112000006, "/account/characters/add/").status == 302);  // Militia pilot

    std::string corporation;
    std::string ticker;
    daemon.db() << "SELECT corporation_name, corporation_ticker FROM eve_corporations WHERE corporation_id = 98370861",
        soci::into(corporation), soci::into(ticker);
    CHECK(corporation == "KarmaFleet");
    CHECK(ticker == "SNOOO");
    std::string alliance;
    daemon.db() << "SELECT alliance_name FROM eve_alliances WHERE alliance_id = 1354830081", soci::into(alliance);
    CHECK(alliance == "Goonswarm Federation");
    std::string faction;
    daemon.db() << "SELECT faction_name FROM eve_factions WHERE faction_id = 500002", soci::into(faction);
    CHECK(faction == "Minmatar Republic");
    std::string character_faction;
    daemon.db() << "SELECT faction_name FROM eve_characters WHERE character_id = 2112000006",
        soci::into(character_faction);
    CHECK(character_faction == "Minmatar Republic");
  }
}

TEST_CASE("login: the session cookie is Secure only over HTTPS from a trusted proxy") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, "trusted_proxies: [127.0.0.1]\n");
  Browser direct(daemon.base_url());
  auto plain = direct.get("/account/login/");
  REQUIRE_FALSE(plain.set_cookies.empty());
  CHECK(plain.set_cookies[0].find("Secure") == std::string::npos);
  CHECK(plain.set_cookies[0].find("HttpOnly") != std::string::npos);
  CHECK(plain.set_cookies[0].find("SameSite=Lax") != std::string::npos);

  Browser proxied(daemon.base_url());
  auto https = proxied.get("/account/login/", {"X-Forwarded-Proto: https", "X-Forwarded-For: 203.0.113.9"});
  REQUIRE_FALSE(https.set_cookies.empty());
  CHECK(https.set_cookies[0].find("; Secure") != std::string::npos);
}

TEST_CASE("login: forwarded headers from an untrusted peer are ignored") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  auto response = browser.get("/account/login/", {"X-Forwarded-Proto: https"});
  REQUIRE_FALSE(response.set_cookies.empty());
  CHECK(response.set_cookies[0].find("Secure") == std::string::npos);
}

TEST_CASE("login: concurrent logins all succeed") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    // Six characters at once, and the first one twice more from other browsers.
    std::vector<long long> characters{2112000001, 2112000002, 2112000003, 2112000004,
                                      2112000005, 2112000006, 2112000001, 2112000001};
    std::vector<int> statuses(characters.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < characters.size(); ++i) {
      threads.emplace_back([&, i] {
        Browser browser(daemon.base_url());
        statuses[i] = sso_flow(browser, characters[i]).status;
      });
    }
    for (auto& thread : threads) thread.join();
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      CAPTURE(i);
      CHECK(statuses[i] == 302);
    }
    CHECK(count_rows(daemon.db(), "users") == 6);
    CHECK(count_rows(daemon.db(), "character_ownerships") == 6);
  }
}
