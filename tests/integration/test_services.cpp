// The services framework through the real daemon and the test_service
// plugin: the /services/ page, activation with name formats, and the tasks
// that remove accounts of users who lost access.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace aa::test;
using namespace std::chrono_literals;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;
constexpr const char* kAccess = "test_service.access_test_service";

std::string service_yaml() {
  return "plugin_dirs:\n  - \"" + test_plugin_dir().string() + "\"\nplugins: [test_service]\n";
}

std::string account_of(Daemon& daemon, long long user_id) {
  std::string name;
  daemon.db() << "SELECT account_name FROM test_service_accounts WHERE user_id = :id", soci::use(user_id),
      soci::into(name);
  return daemon.db().got_data() ? name : std::string("(none)");
}

long long calls(Daemon& daemon, const std::string& call_name, long long user_id) {
  long long count = 0;
  daemon.db() << "SELECT COUNT(*) FROM test_service_calls WHERE call_name = :call_name AND user_id = :id",
      soci::use(call_name), soci::use(user_id), soci::into(count);
  return count;
}

struct NameAndTicker {
  std::string name;
  std::string ticker;
};

NameAndTicker name_and_ticker(Daemon& daemon, long long character_id) {
  NameAndTicker result;
  daemon.db() << "SELECT c.character_name, k.corporation_ticker FROM eve_characters c "
                 "JOIN eve_corporations k ON k.corporation_id = c.corporation_id WHERE c.character_id = :id",
      soci::use(character_id), soci::into(result.name), soci::into(result.ticker);
  return result;
}

// The account name the default format "[{corp_ticker}]{character_name}" gives.
std::string default_account_name(Daemon& daemon, long long character_id) {
  auto [name, ticker] = name_and_ticker(daemon, character_id);
  for (auto& c : name) {
    if (c == ' ') c = '_';
  }
  return "[" + ticker + "]" + name;
}

}  // namespace

TEST_CASE("services: the page shows a service only with its access permission") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, service_yaml());
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
    auto user_id = user_of(daemon.db(), kKarmaFleetPilot);

    auto page = browser.get("/services/");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("Test Service") == std::string::npos);
    CHECK(page.body.find("No services are available to you.") != std::string::npos);
    // The sidebar links the page only to users who may use a service.
    CHECK(browser.get("/dashboard/").body.find("href=\"/services/\"") == std::string::npos);
    CHECK(browser.get("/test-service/activate/").status == 403);
    CHECK(account_of(daemon, user_id) == "(none)");

    REQUIRE(daemon.cli({"grant", kAccess, "--state", "Guest"}).status == 0);
    page = browser.get("/services/");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("Test Service") != std::string::npos);
    CHECK(page.body.find("href=\"/test-service/activate/\"") != std::string::npos);
    CHECK(page.body.find("https://service.example/") != std::string::npos);
    CHECK(browser.get("/dashboard/").body.find("href=\"/services/\"") != std::string::npos);

    auto activated = browser.get("/test-service/activate/");
    CHECK(activated.status == 302);
    CHECK(activated.location() == "/services/");
    auto expected = default_account_name(daemon, kKarmaFleetPilot);
    CHECK(account_of(daemon, user_id) == expected);
    page = browser.get("/services/");
    CHECK(page.body.find(expected) != std::string::npos);
    CHECK(page.body.find("action=\"/test-service/deactivate/\"") != std::string::npos);

    // Deactivating is a POST with the CSRF token; without it nothing changes.
    CHECK(browser.post("/test-service/deactivate/", {}, false).status == 403);
    CHECK(account_of(daemon, user_id) == expected);
    CHECK(browser.post("/test-service/deactivate/", {}).status == 302);
    CHECK(account_of(daemon, user_id) == "(none)");
  }
}

TEST_CASE("services: a name format per state is applied and escaped") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, service_yaml());
  REQUIRE(daemon.cli({"grant", kAccess, "--state", "Guest"}).status == 0);
  daemon.db() << "INSERT INTO service_name_formats (service_name, format) "
                 "VALUES ('test_service', '<b>{corp_ticker}</b>-{character_name:.6}')";
  daemon.db() << "INSERT INTO service_name_format_states (name_format_id, service_name, state_id) "
                 "SELECT f.id, 'test_service', s.id FROM service_name_formats f, states s WHERE s.name = 'Guest'";

  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  auto user_id = user_of(daemon.db(), kKarmaFleetPilot);
  REQUIRE(browser.get("/test-service/activate/").status == 302);
  auto [name, ticker] = name_and_ticker(daemon, kKarmaFleetPilot);
  auto account = account_of(daemon, user_id);
  CHECK(account == "<b>" + ticker + "</b>-" + name.substr(0, 6));

  auto page = browser.get("/services/");
  CHECK(page.body.find("&lt;b&gt;") != std::string::npos);
  CHECK(page.body.find(account) == std::string::npos);
}

TEST_CASE("services: validation removes accounts of users who lost access") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, service_yaml());
    REQUIRE(daemon.cli({"grant", kAccess, "--state", "Guest"}).status == 0);
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
    auto user_id = user_of(daemon.db(), kKarmaFleetPilot);
    REQUIRE(browser.get("/test-service/activate/").status == 302);
    auto account = account_of(daemon, user_id);
    REQUIRE(account != "(none)");

    // With access, the periodic validation keeps the account.
    REQUIRE(daemon.cli({"call", "allianceauth.services.tasks.validate_all_users"}).status == 0);
    REQUIRE(wait_until([&] { return count_rows(daemon.db(), "task_queue") == 0; }, 20s));
    CHECK(account_of(daemon, user_id) == account);

    // Without it, the account is removed and the user notified.
    REQUIRE(daemon.cli({"revoke", kAccess, "--state", "Guest"}).status == 0);
    REQUIRE(daemon.cli({"call", "allianceauth.services.tasks.validate_all_users"}).status == 0);
    CHECK(wait_until([&] { return account_of(daemon, user_id) == "(none)"; }, 20s));
    // The service records the call and stores the notification after it
    // removed the account, so wait for the last of them.
    auto notified = [&] {
      long long count = 0;
      daemon.db() << "SELECT COUNT(*) FROM notifications WHERE user_id = :id AND title = 'Test Service account "
                     "disabled'",
          soci::use(user_id), soci::into(count);
      return count;
    };
    CHECK(wait_until([&] { return notified() >= 1; }, 20s));
    CHECK(notified() == 1);
    CHECK(calls(daemon, "delete_notified", user_id) == 1);
  }
}

TEST_CASE("services: an inactive user loses the account despite the permission") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, service_yaml());
  REQUIRE(daemon.cli({"grant", kAccess, "--state", "Guest"}).status == 0);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  auto user_id = user_of(daemon.db(), kKarmaFleetPilot);
  REQUIRE(browser.get("/test-service/activate/").status == 302);

  daemon.db() << "UPDATE users SET is_active = 0 WHERE id = :id", soci::use(user_id);
  daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";
  auto args = "{\"user_id\": " + std::to_string(user_id) + "}";
  REQUIRE(daemon.cli({"call", "allianceauth.services.tasks.validate_user", args}).status == 0);
  CHECK(wait_until([&] { return account_of(daemon, user_id) == "(none)"; }, 20s));
  // The service records the call after it removed the account.
  CHECK(wait_until([&] { return calls(daemon, "delete_notified", user_id) == 1; }, 20s));
}

TEST_CASE("services: task arguments are checked before anything is queued") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, service_yaml());
  auto bad = daemon.cli({"call", "allianceauth.services.tasks.validate_user", "{\"user\": 1}"});
  CHECK(bad.status != 0);
  CHECK(bad.output.find("missing \"user_id\"") != std::string::npos);
  auto wrong_kind = daemon.cli({"call", "allianceauth.services.tasks.validate_users_of", "{\"corp_id\": 1}"});
  CHECK(wrong_kind.status != 0);
  CHECK(wrong_kind.output.find("expected {\"group_id\": <integer>} or {\"state_id\": <integer>}") !=
        std::string::npos);
  CHECK(count_rows(daemon.db(), "task_queue") == 0);
}

TEST_CASE("services: name format admin validates and guards") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, service_yaml());
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
    auto user_id = user_of(daemon.db(), kKarmaFleetPilot);
    daemon.db() << "UPDATE users SET is_staff = 1 WHERE id = :id", soci::use(user_id);
    daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";
    long long guest = 0;
    daemon.db() << "SELECT id FROM states WHERE name = 'Guest'", soci::into(guest);
    const std::string add = "/admin/services/nameformatconfig/add/";

    // Staff without the model's permissions get 403 and write nothing.
    CHECK(browser.get("/admin/services/nameformatconfig/").status == 403);
    browser.get("/admin/");
    auto forbidden = browser.post(add, {{"service_name", "test_service"}, {"format", "{character_name}"},
                                        {"states", std::to_string(guest)}});
    CHECK(forbidden.status == 403);
    CHECK(count_rows(daemon.db(), "service_name_formats") == 0);

    daemon.db() << "INSERT INTO user_permissions (user_id, permission_id) SELECT :id, id FROM permissions "
                   "WHERE app_label = 'services' AND codename IN ('view_nameformatconfig', 'add_nameformatconfig', "
                   "'change_nameformatconfig')",
        soci::use(user_id);
    daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";
    auto form_page = browser.get(add);
    REQUIRE(form_page.status == 200);
    CHECK(form_page.body.find("Test Service") != std::string::npos);

    // A bad format is reported under the field and nothing is saved.
    for (const auto& [format, message] : std::vector<std::pair<std::string, std::string>>{
             {"{character_nam}", "character_nam"}, {"[{corp_ticker]", "This format cannot be used"}}) {
      CAPTURE(format);
      auto answer = browser.post(add, {{"service_name", "test_service"}, {"format", format},
                                       {"states", std::to_string(guest)}});
      CHECK(answer.status == 400);
      CHECK(answer.body.find(message) != std::string::npos);
      CHECK(answer.body.find("is-invalid") != std::string::npos);
      CHECK(count_rows(daemon.db(), "service_name_formats") == 0);
    }

    auto saved = browser.post(add, {{"service_name", "test_service"}, {"format", "[{corp_ticker}] {character_name}"},
                                    {"states", std::to_string(guest)}});
    CHECK(saved.status == 302);
    CHECK(count_rows(daemon.db(), "service_name_formats") == 1);
    CHECK(count_rows(daemon.db(), "service_name_format_states") == 1);
    CHECK(count_rows(daemon.db(), "admin_log_entries") == 1);

    // A second format for the same service and state is refused.
    auto duplicate = browser.post(add, {{"service_name", "test_service"}, {"format", "{character_name}"},
                                        {"states", std::to_string(guest)}});
    CHECK(duplicate.status == 400);
    CHECK(duplicate.body.find("already has a name format for test_service") != std::string::npos);
    CHECK(count_rows(daemon.db(), "service_name_formats") == 1);

    auto list = browser.get("/admin/services/nameformatconfig/?f_service_name=test_service");
    CHECK(list.status == 200);
    CHECK(list.body.find("[{corp_ticker}] {character_name}") != std::string::npos);
    CHECK(list.body.find("Guest") != std::string::npos);
  }
}
