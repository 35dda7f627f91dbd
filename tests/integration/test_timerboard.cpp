// The timerboard plugin through the real daemon: the sidebar, permission
// guards, creating a timer with the form, corporation-only timers, and the
// timers of a user an admin deleted.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace aa::test;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;  // KarmaFleet
constexpr long long kOmicronPilot = 2112000002;     // Omicron Project
constexpr long long kMiraPilot = 2112000004;        // KarmaFleet as well

const std::string kWithTimerboard = "plugins:\n  timerboard: {}\n";

// Grants `codenames` (app label "auth") to every user in `state`.
void grant_to_state(Daemon& daemon, const std::string& state, const std::vector<std::string>& codenames) {
  auto& sql = daemon.db();
  for (const auto& codename : codenames) {
    sql << "INSERT INTO state_permissions (state_id, permission_id) "
           "SELECT s.id, p.id FROM states s, permissions p WHERE s.name = :state AND p.app_label = 'auth' "
           "AND p.codename = :codename",
        soci::use(state), soci::use(codename);
  }
  sql << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";
}

std::vector<std::pair<std::string, std::string>> timer_form(const std::string& details, bool corp_only = false) {
  std::vector<std::pair<std::string, std::string>> fields{
      {"details", details},   {"system", "Amamake"},     {"planet_moon", "II - Moon 4"},
      {"structure", "Astrahus"}, {"timer_type", "ARMOR"}, {"objective", "Hostile"},
      {"days_left", "1"},     {"hours_left", "2"},       {"minutes_left", "30"},
  };
  if (corp_only) fields.emplace_back("corp_timer", "on");
  return fields;
}

}  // namespace

TEST_CASE("timerboard: a manager creates a timer through the form and sees it listed") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, kWithTimerboard);
    grant_to_state(daemon, "Guest", {"timer_view", "timer_management"});
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);

    auto dashboard = browser.get("/dashboard/");
    REQUIRE(dashboard.status == 200);
    CHECK(dashboard.body.find("href=\"/timers/\"") != std::string::npos);

    auto form = browser.get("/timers/add/");
    REQUIRE(form.status == 200);
    auto created = browser.post("/timers/add/", timer_form("Reinforced <b>Astrahus</b>"));
    CHECK(created.status == 302);

    auto list = browser.get("/timers/");
    REQUIRE(list.status == 200);
    CHECK(list.body.find("Reinforced &lt;b&gt;Astrahus&lt;/b&gt;") != std::string::npos);
    CHECK(list.body.find("<b>Astrahus</b>") == std::string::npos);
    CHECK(list.body.find("Amamake") != std::string::npos);
    CHECK(list.body.find("Kaelen Brightwater") != std::string::npos);
    // The time goes to the browser in UTC with an explicit zone.
    CHECK(list.body.find("Z\"") != std::string::npos);
    CHECK(count_rows(daemon.db(), "timerboard_timers") == 1);
  }
}

TEST_CASE("timerboard: a bad form saves nothing and names the field") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, kWithTimerboard);
  grant_to_state(daemon, "Guest", {"timer_view", "timer_management"});
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  browser.get("/timers/add/");

  auto fields = timer_form("Bad structure");
  for (auto& [name, value] : fields) {
    if (name == "structure") value = "Death Star";
  }
  auto rejected = browser.post("/timers/add/", fields);
  CHECK(rejected.status == 400);
  CHECK(rejected.body.find("is-invalid") != std::string::npos);
  CHECK(rejected.body.find("Bad structure") != std::string::npos);  // The entered value is kept.
  CHECK(count_rows(daemon.db(), "timerboard_timers") == 0);

  auto no_csrf = browser.post("/timers/add/", timer_form("No token"), false);
  CHECK(no_csrf.status == 403);
  CHECK(count_rows(daemon.db(), "timerboard_timers") == 0);
}

TEST_CASE("timerboard: viewers cannot manage and others get 403") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, kWithTimerboard);
  Browser nobody(daemon.base_url());
  REQUIRE(sso_flow(nobody, kOmicronPilot).status == 302);
  CHECK(nobody.get("/timers/").status == 403);
  CHECK(nobody.get("/dashboard/").body.find("href=\"/timers/\"") == std::string::npos);

  grant_to_state(daemon, "Guest", {"timer_view"});
  auto list = nobody.get("/timers/");
  CHECK(list.status == 200);
  CHECK(list.body.find("/timers/add/") == std::string::npos);
  CHECK(nobody.get("/timers/add/").status == 403);
  CHECK(nobody.post("/timers/add/", timer_form("Not allowed")).status == 403);
  CHECK(count_rows(daemon.db(), "timerboard_timers") == 0);

  Browser anonymous(daemon.base_url());
  auto redirect = anonymous.get("/timers/");
  CHECK(redirect.status == 302);
  CHECK(redirect.location().starts_with("/account/login/?next="));
}

TEST_CASE("timerboard: corporation-only timers stay within the corporation") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, kWithTimerboard);
  grant_to_state(daemon, "Guest", {"timer_view", "timer_management"});

  Browser creator(daemon.base_url());
  REQUIRE(sso_flow(creator, kKarmaFleetPilot).status == 302);
  creator.get("/timers/add/");
  REQUIRE(creator.post("/timers/add/", timer_form("KarmaFleet only", true)).status == 302);
  REQUIRE(creator.post("/timers/add/", timer_form("Everyone")).status == 302);

  Browser colleague(daemon.base_url());
  REQUIRE(sso_flow(colleague, kMiraPilot).status == 302);
  auto same_corp = colleague.get("/timers/");
  CHECK(same_corp.body.find("KarmaFleet only") != std::string::npos);

  Browser outsider(daemon.base_url());
  REQUIRE(sso_flow(outsider, kOmicronPilot).status == 302);
  auto other_corp = outsider.get("/timers/");
  CHECK(other_corp.body.find("KarmaFleet only") == std::string::npos);
  CHECK(other_corp.body.find("Everyone") != std::string::npos);

  long long hidden_id = 0;
  daemon.db() << "SELECT id FROM timerboard_timers WHERE details = 'KarmaFleet only'", soci::into(hidden_id);
  auto edit = outsider.get("/timers/edit/" + std::to_string(hidden_id) + "/");
  CHECK((edit.status == 404 || edit.status == 403));
  outsider.get("/timers/");
  auto removed = outsider.post("/timers/remove/" + std::to_string(hidden_id) + "/", {});
  CHECK((removed.status == 404 || removed.status == 403));
  CHECK(count_rows(daemon.db(), "timerboard_timers") == 2);
}

TEST_CASE("timerboard: a deleted user's timers keep the character name") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, kWithTimerboard);
    grant_to_state(daemon, "Guest", {"timer_view", "timer_management"});
    Browser creator(daemon.base_url());
    REQUIRE(sso_flow(creator, kKarmaFleetPilot).status == 302);
    creator.get("/timers/add/");
    REQUIRE(creator.post("/timers/add/", timer_form("Armor timer")).status == 302);
    long long creator_id = user_of(daemon.db(), kKarmaFleetPilot);

    Browser admin(daemon.base_url());
    REQUIRE(sso_flow(admin, kOmicronPilot).status == 302);
    long long admin_id = user_of(daemon.db(), kOmicronPilot);
    daemon.db() << "UPDATE users SET is_staff = 1, is_superuser = 1 WHERE id = :id", soci::use(admin_id);
    daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";

    // The admin's delete emits user_deleted after its commit; the plugin
    // then empties the timer's user and keeps the character name.
    auto delete_path = "/admin/auth/user/" + std::to_string(creator_id) + "/delete/";
    REQUIRE(admin.get(delete_path).status == 200);
    REQUIRE(admin.post(delete_path, {{"post", "yes"}}).status == 302);
    CHECK(wait_until([&] {
      return query_int(daemon.db(), "SELECT COUNT(*) FROM timerboard_timers WHERE user_id = :id", creator_id) == 0;
    }, std::chrono::seconds(10)));
    CHECK(count_rows(daemon.db(), "timerboard_timers") == 1);
    CHECK(query_text(daemon.db(), "SELECT character_name FROM timerboard_timers WHERE id > :id", 0) ==
          "Kaelen Brightwater");
    auto list = admin.get("/timers/");
    CHECK(list.status == 200);
    CHECK(list.body.find("Armor timer") != std::string::npos);
  }
}

TEST_CASE("timerboard: migrate timerboard zero removes its tables") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, kWithTimerboard);
    daemon.stop();
    auto down = daemon.cli({"migrate", "timerboard", "zero"});
    CHECK(down.status == 0);
    CHECK(down.output.find("Reverted timerboard 1") != std::string::npos);
    CHECK_THROWS(count_rows(daemon.db(), "timerboard_timers"));
    auto serve = daemon.cli({"serve", "--port", "0"});
    CHECK(serve.status == 1);
    CHECK(serve.output.find("timerboard 1") != std::string::npos);
    REQUIRE(daemon.cli({"migrate"}).status == 0);
    CHECK(count_rows(daemon.db(), "timerboard_timers") == 0);
  }
}
