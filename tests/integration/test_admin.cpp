// The admin site through the real daemon: who may enter, per-model
// permissions, the list page (search, filters, sorting, pagination), add and
// change forms with per-field errors, delete, bulk actions, the change
// history, and the rules only superusers may pass. Every forbidden request
// is answered 403 and the database is checked to be unchanged.
#include <doctest/doctest.h>

#include <regex>

#include "auth/accounts.hpp"
#include "harness.hpp"

using namespace aa::test;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;  // Kaelen Brightwater
constexpr long long kOmicronPilot = 2112000002;     // Omicron Project
constexpr long long kMiraPilot = 2112000004;        // Mira O'Sullivan

using Form = std::vector<std::pair<std::string, std::string>>;

void set_flags(Daemon& daemon, long long user_id, bool staff, bool superuser) {
  int is_staff = staff ? 1 : 0;
  int is_superuser = superuser ? 1 : 0;
  daemon.db() << "UPDATE users SET is_staff = :staff, is_superuser = :superuser WHERE id = :id", soci::use(is_staff),
      soci::use(is_superuser), soci::use(user_id);
  aa::core::bump_auth_version(daemon.db());
}

long long count_where(Daemon& daemon, const std::string& query) {
  long long count = 0;
  daemon.db() << query, soci::into(count);
  return count;
}

// The change form's version fingerprint, which a save must send back.
std::string version_of(const std::string& page) {
  static const std::regex kVersion(R"re(name="_version" value="([0-9a-f]*)")re");
  std::smatch match;
  return std::regex_search(page, match, kVersion) ? match[1].str() : std::string();
}

// A logged-in browser on the daemon with a main character.
struct Member {
  Member(Daemon& daemon, long long character_id) : browser(daemon.base_url()) {
    REQUIRE(sso_flow(browser, character_id).status == 302);
    id = user_of(daemon.db(), character_id);
    username = username_of(daemon.db(), id);
  }
  Browser browser;
  long long id = 0;
  std::string username;
};

// The user change form as the page shows it, plus `changes`.
Form user_form(Daemon& daemon, Browser& browser, long long user_id, const Form& changes) {
  auto page = browser.get("/admin/auth/user/" + std::to_string(user_id) + "/change/");
  REQUIRE(page.status == 200);
  Form form{{"_version", version_of(page.body)},
            {"username", username_of(daemon.db(), user_id)},
            {"email", ""},
            {"is_active", "on"}};
  for (const auto& [name, value] : changes) {
    bool replaced = false;
    for (auto& field : form) {
      if (field.first == name) {
        field.second = value;
        replaced = true;
      }
    }
    if (!replaced) form.emplace_back(name, value);
  }
  return form;
}

// The "N in total" count of a list page.
std::string total_of(const std::string& page) {
  static const std::regex kTotal(R"re(>(\d+) in total<)re");
  std::smatch match;
  return std::regex_search(page, match, kTotal) ? match[1].str() : std::string("none");
}

std::string change_path(long long id) { return "/admin/auth/user/" + std::to_string(id) + "/change/"; }

}  // namespace

TEST_CASE("admin: only staff enter, and each model needs its permission") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);

    Browser anonymous(daemon.base_url());
    auto to_login = anonymous.get("/admin/");
    CHECK(to_login.status == 302);
    CHECK(to_login.location().starts_with("/account/login/?next="));

    Member member(daemon, kOmicronPilot);
    CHECK(member.browser.get("/admin/").status == 403);
    CHECK(member.browser.get("/admin/auth/user/").status == 403);
    // Model permissions alone do not open the admin site to a non-staff user.
    grant_user_permissions(daemon.db(), member.id, {"auth.view_user", "auth.change_user"});
    CHECK(member.browser.get("/admin/auth/user/").status == 403);

    Member staff(daemon, kKarmaFleetPilot);
    set_flags(daemon, staff.id, true, false);
    auto index = staff.browser.get("/admin/");
    CHECK(index.status == 200);
    CHECK_FALSE(contains(index.body, "/admin/auth/user/"));
    // Every staff user may read the list of permissions, as in Django.
    CHECK(contains(index.body, "/admin/auth/permission/"));
    CHECK(staff.browser.get("/admin/auth/permission/").status == 200);

    CHECK(staff.browser.get("/admin/auth/user/").status == 403);
    CHECK(staff.browser.get(change_path(member.id)).status == 403);
    CHECK(staff.browser.get("/admin/auth/user/add/").status == 403);
    CHECK(staff.browser.get("/admin/authentication/state/").status == 403);
    CHECK(staff.browser.get("/admin/esi/token/").status == 403);
    CHECK(staff.browser.get("/admin/nosuch/model/").status == 404);

    auto users_before = count_rows(daemon.db(), "users");
    staff.browser.get("/admin/");
    CHECK(staff.browser.post("/admin/auth/user/add/", {{"username", "intruder"}}).status == 403);
    CHECK(staff.browser.post(change_path(member.id), {{"username", "renamed"}, {"is_active", "on"}}).status == 403);
    CHECK(staff.browser.post("/admin/auth/user/" + std::to_string(member.id) + "/delete/", {{"post", "yes"}}).status ==
          403);
    CHECK(staff.browser.post("/admin/auth/user/", {{"action", "delete_selected"},
                                                   {"_selected_action", std::to_string(member.id)},
                                                   {"post", "yes"}})
              .status == 403);
    CHECK(count_rows(daemon.db(), "users") == users_before);
    CHECK(username_of(daemon.db(), member.id) == member.username);
    CHECK(count_rows(daemon.db(), "admin_log_entries") == 0);

    // With the view permission the list opens, read-only.
    grant_user_permissions(daemon.db(), staff.id, {"auth.view_user"});
    auto list = staff.browser.get("/admin/auth/user/");
    CHECK(list.status == 200);
    CHECK(contains(list.body, member.username));
    CHECK_FALSE(contains(list.body, "/admin/auth/user/add/"));
    auto view = staff.browser.get(change_path(member.id));
    CHECK(view.status == 200);
    CHECK_FALSE(contains(view.body, "name=\"username\""));
    CHECK(staff.browser.post(change_path(member.id), {{"username", "renamed"}, {"is_active", "on"}}).status == 403);
    CHECK(username_of(daemon.db(), member.id) == member.username);
  }
}

TEST_CASE("admin: a staff admin cannot promote anyone or change permissions") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Member target(daemon, kOmicronPilot);
    Member staff(daemon, kKarmaFleetPilot);
    Member root(daemon, kMiraPilot);
    set_flags(daemon, staff.id, true, false);
    set_flags(daemon, root.id, true, true);
    grant_user_permissions(daemon.db(), staff.id,
                           {"auth.view_user", "auth.add_user", "auth.change_user", "auth.delete_user",
                            "authentication.view_state", "authentication.change_state"});
    auto grants_before = count_rows(daemon.db(), "user_permissions");
    auto& admin = staff.browser;

    // The flags and grants are shown, not offered as inputs.
    auto page = admin.get(change_path(target.id));
    REQUIRE(page.status == 200);
    CHECK(contains(page.body, "name=\"email\""));
    CHECK_FALSE(contains(page.body, "name=\"is_staff\""));
    CHECK_FALSE(contains(page.body, "name=\"is_superuser\""));
    CHECK_FALSE(contains(page.body, "name=\"user_permissions\""));

    for (const auto& forbidden : std::vector<Form>{{{"is_staff", "on"}},
                                                   {{"is_superuser", "on"}},
                                                   {{"user_permissions", "auth.change_user"}}}) {
      CAPTURE(forbidden.front().first);
      auto answer = admin.post(change_path(target.id), user_form(daemon, admin, target.id, forbidden));
      CHECK(answer.status == 403);
      CHECK(query_int(daemon.db(), "SELECT is_staff FROM users WHERE id = :id", target.id) == 0);
      CHECK(query_int(daemon.db(), "SELECT is_superuser FROM users WHERE id = :id", target.id) == 0);
      CHECK(count_rows(daemon.db(), "user_permissions") == grants_before);
      CHECK(count_rows(daemon.db(), "admin_log_entries") == 0);
    }
    // Nor promote themselves, nor create a promoted user.
    auto self = admin.post(change_path(staff.id), user_form(daemon, admin, staff.id, {{"is_superuser", "on"},
                                                                                      {"is_staff", "on"}}));
    CHECK(self.status == 403);
    CHECK(query_int(daemon.db(), "SELECT is_superuser FROM users WHERE id = :id", staff.id) == 0);
    admin.get("/admin/auth/user/add/");
    auto users_before = count_rows(daemon.db(), "users");
    CHECK(admin.post("/admin/auth/user/add/", {{"username", "promoted"}, {"is_active", "on"}, {"is_staff", "on"}})
              .status == 403);
    CHECK(admin.post("/admin/auth/user/add/",
                     {{"username", "granted"}, {"is_active", "on"}, {"user_permissions", "auth.add_user"}})
              .status == 403);
    CHECK(count_rows(daemon.db(), "users") == users_before);

    // Superuser accounts are out of reach: no change, no delete.
    auto root_form = user_form(daemon, admin, root.id, {{"email", "taken@example.com"}});
    CHECK(admin.post(change_path(root.id), root_form).status == 403);
    CHECK(admin.post("/admin/auth/user/" + std::to_string(root.id) + "/delete/", {{"post", "yes"}}).status == 403);
    CHECK(count_rows(daemon.db(), "users") == users_before);
    std::string root_email;
    daemon.db() << "SELECT email FROM users WHERE id = :id", soci::use(root.id), soci::into(root_email);
    CHECK(root_email != "taken@example.com");

    // State permissions are superuser-only too.
    long long guest = 0;
    daemon.db() << "SELECT id FROM states WHERE name = 'Guest'", soci::into(guest);
    auto state_path = "/admin/authentication/state/" + std::to_string(guest) + "/change/";
    auto state_page = admin.get(state_path);
    REQUIRE(state_page.status == 200);
    CHECK_FALSE(contains(state_page.body, "name=\"permissions\""));
    auto state_grants = count_rows(daemon.db(), "state_permissions");
    auto priority = std::to_string(query_int(daemon.db(), "SELECT priority FROM states WHERE id = :id", guest));
    CHECK(admin.post(state_path, {{"_version", version_of(state_page.body)},
                                  {"name", "Guest"},
                                  {"priority", priority},
                                  {"permissions", "auth.change_user"}})
              .status == 403);
    CHECK(count_rows(daemon.db(), "state_permissions") == state_grants);

    // A change they may make goes through.
    auto allowed = admin.post(change_path(target.id),
                              user_form(daemon, admin, target.id, {{"email", "pilot@example.com"}}));
    CHECK(allowed.status == 302);
    std::string email;
    daemon.db() << "SELECT email FROM users WHERE id = :id", soci::use(target.id), soci::into(email);
    CHECK(email == "pilot@example.com");

    // The superuser may do what the staff admin may not.
    auto promoted = root.browser.post(change_path(target.id),
                                      user_form(daemon, root.browser, target.id,
                                                {{"email", "pilot@example.com"},
                                                 {"is_staff", "on"},
                                                 {"user_permissions", "auth.view_user"}}));
    CHECK(promoted.status == 302);
    CHECK(query_int(daemon.db(), "SELECT is_staff FROM users WHERE id = :id", target.id) == 1);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM user_permissions WHERE user_id = " + std::to_string(target.id)) ==
          1);
  }
}

TEST_CASE("admin: bad form values get per-field errors and save nothing") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Member root(daemon, kKarmaFleetPilot);
    set_flags(daemon, root.id, true, true);
    auto& admin = root.browser;
    REQUIRE(admin.get("/admin/auth/user/add/").status == 200);
    auto users_before = count_rows(daemon.db(), "users");

    struct Case {
      std::string field;
      std::string value;
      std::string message;
    };
    std::vector<Case> cases{
        {"username", "", "This field is required."},
        {"username", std::string(151, 'a'), "at most 150 characters (it has 151)"},
        {"username", "<script>alert(1)</script>", "is not a valid username"},
        {"username", "bad\xFF", "not valid UTF-8"},
        {"username", "tab\x01name", "control characters"},
        {"email", "not-an-address", "Enter a valid email address"},
        {"email", std::string(250, 'e') + "@example.com", "at most 254 characters"},
        {"groups", "999999", "Select a valid choice"},
    };
    for (const auto& bad : cases) {
      CAPTURE(bad.field);
      CAPTURE(bad.message);
      Form form{{"username", "newpilot"}, {"email", "new@example.com"}, {"is_active", "on"}};
      bool replaced = false;
      for (auto& [name, value] : form) {
        if (name == bad.field) {
          value = bad.value;
          replaced = true;
        }
      }
      if (!replaced) form.emplace_back(bad.field, bad.value);
      auto answer = admin.post("/admin/auth/user/add/", form);
      CHECK(answer.status == 400);
      CHECK(contains(answer.body, bad.message));
      CHECK(contains(answer.body, "is-invalid"));
      CHECK_FALSE(contains(answer.body, "<script>alert(1)</script>"));
      CHECK(count_rows(daemon.db(), "users") == users_before);
    }
    auto taken = admin.post("/admin/auth/user/add/", {{"username", root.username}, {"is_active", "on"}});
    CHECK(taken.status == 400);
    CHECK(contains(taken.body, "is already taken"));
    CHECK(count_rows(daemon.db(), "users") == users_before);
    CHECK(count_rows(daemon.db(), "admin_log_entries") == 0);

    // Integer fields: not a number, out of range, a priority another state holds.
    REQUIRE(admin.get("/admin/authentication/state/add/").status == 200);
    auto states_before = count_rows(daemon.db(), "states");
    long long guest_priority = 0;
    daemon.db() << "SELECT priority FROM states WHERE name = 'Guest'", soci::into(guest_priority);
    for (const auto& [priority, message] :
         std::vector<std::pair<std::string, std::string>>{{"ten", "Enter a whole number"},
                                                          {"99999999999", "outside that range"},
                                                          {std::to_string(guest_priority), "already has priority"}}) {
      CAPTURE(priority);
      auto answer = admin.post("/admin/authentication/state/add/", {{"name", "Allies"}, {"priority", priority}});
      CHECK(answer.status == 400);
      CHECK(contains(answer.body, message));
      CHECK(count_rows(daemon.db(), "states") == states_before);
    }
    auto no_csrf = admin.post("/admin/authentication/state/add/", {{"name", "Allies"}, {"priority", "60"}}, false);
    CHECK(no_csrf.status == 403);
    CHECK(count_rows(daemon.db(), "states") == states_before);

    // A good form saves and names the new object.
    auto created = admin.post("/admin/authentication/state/add/", {{"name", "Allies"}, {"priority", "60"}});
    CHECK(created.status == 302);
    CHECK(count_rows(daemon.db(), "states") == states_before + 1);
  }
}

TEST_CASE("admin: the user list searches, filters, sorts and pages") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Member root(daemon, kKarmaFleetPilot);
    set_flags(daemon, root.id, true, true);
    long long guest = 0;
    daemon.db() << "SELECT id FROM states WHERE name = 'Guest'", soci::into(guest);
    // 120 users, so the list (100 a page) has two pages; every third is inactive.
    for (int i = 0; i < 120; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "pilot%03d", i);
      std::string username = name;
      std::string email = username + "@example.com";
      int active = i % 3 == 0 ? 0 : 1;
      daemon.db() << "INSERT INTO users (username, email, is_active, date_joined) VALUES (:name, :email, :active, 0)",
          soci::use(username), soci::use(email), soci::use(active);
      daemon.db() << "INSERT INTO user_profiles (user_id, state_id) "
                     "SELECT id, :guest FROM users WHERE username = :name",
          soci::use(guest), soci::use(username);
    }
    auto& admin = root.browser;

    auto first = admin.get("/admin/auth/user/");
    REQUIRE(first.status == 200);
    CHECK(total_of(first.body) == "121");
    CHECK(contains(first.body, "pilot000"));
    CHECK_FALSE(contains(first.body, "pilot119"));
    CHECK(contains(first.body, "p=2\""));
    auto second = admin.get("/admin/auth/user/?p=2");
    REQUIRE(second.status == 200);
    CHECK(contains(second.body, "pilot119"));
    CHECK_FALSE(contains(second.body, "pilot000"));
    // A page past the end goes to the last one; nonsense pages mean the first.
    CHECK(admin.get("/admin/auth/user/?p=9").status == 302);
    CHECK(admin.get("/admin/auth/user/?p=-1").status == 200);

    auto descending = admin.get("/admin/auth/user/?o=-username");
    REQUIRE(descending.status == 200);
    CHECK(descending.body.find("pilot119") < descending.body.find("pilot118"));
    // An unknown sort key falls back to the default order instead of reaching SQL.
    CHECK(admin.get("/admin/auth/user/?o=password").status == 200);
    CHECK(admin.get("/admin/auth/user/?o=username%3B%20DROP%20TABLE%20users").status == 200);
    CHECK(count_rows(daemon.db(), "users") == 121);

    auto found = admin.get("/admin/auth/user/?q=pilot01");
    REQUIRE(found.status == 200);
    CHECK(total_of(found.body) == "10");
    CHECK(contains(found.body, "pilot015"));
    CHECK_FALSE(contains(found.body, "pilot020"));
    auto wildcard = admin.get("/admin/auth/user/?q=%25");
    CHECK(total_of(wildcard.body) == "0");
    auto by_email = admin.get("/admin/auth/user/?q=PILOT007%40EXAMPLE");
    CHECK(total_of(by_email.body) == "1");

    auto inactive = admin.get("/admin/auth/user/?f_is_active=0");
    REQUIRE(inactive.status == 200);
    CHECK(total_of(inactive.body) == "40");
    auto both = admin.get("/admin/auth/user/?f_is_active=0&q=pilot00");
    CHECK(total_of(both.body) == "4");  // 000, 003, 006, 009
    // A filter value that is no choice is ignored.
    auto bogus = admin.get("/admin/auth/user/?f_is_active=2%20OR%201%3D1");
    CHECK(total_of(bogus.body) == "121");
    auto superusers = admin.get("/admin/auth/user/?f_is_superuser=1");
    CHECK(total_of(superusers.body) == "1");
    CHECK(contains(superusers.body, root.username));
  }
}

TEST_CASE("admin: change, delete and bulk delete write the change history") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Member root(daemon, kKarmaFleetPilot);
    Member pilot(daemon, kOmicronPilot);
    set_flags(daemon, root.id, true, true);
    auto& admin = root.browser;

    auto changed = admin.post(change_path(pilot.id),
                              user_form(daemon, admin, pilot.id,
                                        {{"email", "omicron@example.com"}, {"is_active", ""}}));
    CHECK(changed.status == 302);
    CHECK(query_int(daemon.db(), "SELECT is_active FROM users WHERE id = :id", pilot.id) == 0);

    auto history = admin.get("/admin/auth/user/" + std::to_string(pilot.id) + "/history/");
    REQUIRE(history.status == 200);
    CHECK(contains(history.body, root.username));
    CHECK(contains(history.body, "Email address: from"));
    CHECK(contains(history.body, "omicron@example.com"));
    CHECK(contains(history.body, "Active: from"));

    // A stale form (someone saved in between) is refused with the current values kept.
    auto stale = user_form(daemon, admin, pilot.id, {{"email", "stale@example.com"}});
    REQUIRE(admin.post(change_path(pilot.id), user_form(daemon, admin, pilot.id, {{"email", "fresh@example.com"}}))
                .status == 302);
    auto conflict = admin.post(change_path(pilot.id), stale);
    CHECK(conflict.status == 409);
    std::string email;
    daemon.db() << "SELECT email FROM users WHERE id = :id", soci::use(pilot.id), soci::into(email);
    CHECK(email == "fresh@example.com");

    // Deleting asks first, then deletes and records who did it.
    auto delete_path = "/admin/auth/user/" + std::to_string(pilot.id) + "/delete/";
    auto confirm = admin.get(delete_path);
    CHECK(confirm.status == 200);
    CHECK(contains(confirm.body, "Are you sure"));
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM users WHERE id = " + std::to_string(pilot.id)) == 1);
    CHECK(admin.post(delete_path, {{"post", "yes"}}).status == 302);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM users WHERE id = " + std::to_string(pilot.id)) == 0);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM admin_log_entries WHERE action_flag = 3 AND object_id = " +
                                  std::to_string(pilot.id)) == 1);
    auto after = admin.get("/admin/auth/user/" + std::to_string(pilot.id) + "/history/");
    CHECK(after.status == 200);
    CHECK(contains(after.body, "Deleted"));
    CHECK(admin.get(change_path(pilot.id)).status == 404);

    // The Guest state can never be deleted.
    long long guest = 0;
    daemon.db() << "SELECT id FROM states WHERE name = 'Guest'", soci::into(guest);
    auto states = count_rows(daemon.db(), "states");
    admin.get("/admin/authentication/state/");
    CHECK(admin.post("/admin/authentication/state/" + std::to_string(guest) + "/delete/", {{"post", "yes"}}).status ==
          403);
    CHECK(count_rows(daemon.db(), "states") == states);

    // Bulk delete: a confirmation page, then all selected rows in one go.
    admin.get("/admin/authentication/state/add/");
    REQUIRE(admin.post("/admin/authentication/state/add/", {{"name", "Neutral"}, {"priority", "40"}}).status == 302);
    REQUIRE(admin.post("/admin/authentication/state/add/", {{"name", "Hostile"}, {"priority", "30"}}).status == 302);
    std::vector<std::string> ids;
    soci::rowset<long long> rows = daemon.db().prepare << "SELECT id FROM states WHERE name IN ('Neutral', 'Hostile')";
    for (long long id : rows) ids.push_back(std::to_string(id));
    REQUIRE(ids.size() == 2);
    admin.get("/admin/authentication/state/");
    Form selection{{"action", "delete_selected"}, {"_selected_action", ids[0]}, {"_selected_action", ids[1]}};
    auto ask = admin.post("/admin/authentication/state/", selection);
    CHECK(ask.status == 200);
    CHECK(contains(ask.body, "Neutral"));
    CHECK(count_rows(daemon.db(), "states") == states + 2);
    selection.emplace_back("post", "yes");
    CHECK(admin.post("/admin/authentication/state/", selection).status == 302);
    CHECK(count_rows(daemon.db(), "states") == states);
    // With Guest in the selection nothing is deleted.
    REQUIRE(admin.post("/admin/authentication/state/add/", {{"name", "Green"}, {"priority", "20"}}).status == 302);
    long long green = 0;
    daemon.db() << "SELECT id FROM states WHERE name = 'Green'", soci::into(green);
    admin.get("/admin/authentication/state/");
    CHECK(admin.post("/admin/authentication/state/", {{"action", "delete_selected"},
                                                      {"_selected_action", std::to_string(green)},
                                                      {"_selected_action", std::to_string(guest)},
                                                      {"post", "yes"}})
              .status == 302);
    CHECK(count_rows(daemon.db(), "states") == states + 1);
  }
}

namespace {

std::string with_test_admin() {
  return "plugin_dirs:\n  - \"" + (bin_dir().parent_path() / "test-plugins").string() +
         "\"\nplugins: [test_admin]\n";
}

long long runs_of(Daemon& daemon, const std::string& action) {
  long long count = 0;
  daemon.db() << "SELECT COUNT(*) FROM test_admin_runs WHERE action = :action", soci::use(action), soci::into(count);
  return count;
}

}  // namespace

TEST_CASE("admin: plugins add bulk actions to core models, each behind its permission") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, with_test_admin());
    Member staff(daemon, kKarmaFleetPilot);
    Member pilot(daemon, kOmicronPilot);
    Member root(daemon, kMiraPilot);
    set_flags(daemon, staff.id, true, false);
    set_flags(daemon, root.id, true, true);
    grant_user_permissions(daemon.db(), staff.id, {"auth.view_user"});
    auto selection = [&](const std::string& action) {
      return Form{{"action", action},
                  {"_selected_action", std::to_string(pilot.id)},
                  {"_selected_action", std::to_string(root.id)}};
    };

    // Without test_admin.sync_nickname the action is neither offered nor run.
    auto list = staff.browser.get("/admin/auth/user/");
    REQUIRE(list.status == 200);
    CHECK_FALSE(contains(list.body, "value=\"sync_nickname\""));
    CHECK(staff.browser.post("/admin/auth/user/", selection("sync_nickname")).status == 403);
    CHECK(runs_of(daemon, "sync_nickname") == 0);

    grant_user_permissions(daemon.db(), staff.id, {"test_admin.sync_nickname"});
    list = staff.browser.get("/admin/auth/user/");
    CHECK(contains(list.body, "value=\"sync_nickname\""));
    CHECK_FALSE(contains(list.body, "value=\"superuser_sync\""));
    CHECK_FALSE(contains(list.body, "value=\"delete_selected\""));
    auto ran = staff.browser.post("/admin/auth/user/", selection("sync_nickname"));
    CHECK(ran.status == 302);
    CHECK(runs_of(daemon, "sync_nickname") == 2);
    auto after = staff.browser.follow(ran);
    CHECK(contains(after.body, "Ran sync_nickname on 2 objects."));
    auto history = staff.browser.get("/admin/auth/user/" + std::to_string(pilot.id) + "/history/");
    CHECK(contains(history.body, "Ran the action"));
    CHECK(contains(history.body, "Sync nickname"));

    // Superuser-only actions stay with superusers.
    CHECK(staff.browser.post("/admin/auth/user/", selection("superuser_sync")).status == 403);
    CHECK(runs_of(daemon, "superuser_sync") == 0);
    root.browser.get("/admin/auth/user/");
    CHECK(root.browser.post("/admin/auth/user/", selection("superuser_sync")).status == 302);
    CHECK(runs_of(daemon, "superuser_sync") == 2);

    // Nothing selected, a bad id or an unknown action runs nothing.
    CHECK(staff.browser.post("/admin/auth/user/", {{"action", "sync_nickname"}}).status == 302);
    CHECK(staff.browser.post("/admin/auth/user/", {{"action", "sync_nickname"}, {"_selected_action", "1 OR 1=1"}})
              .status == 302);
    CHECK(staff.browser.post("/admin/auth/user/", selection("no_such_action")).status == 302);
    CHECK(runs_of(daemon, "sync_nickname") == 2);
    // An action for a model nobody registers is logged and left out.
    CHECK(contains(daemon.log(), "admin action orphan of plugin test_admin is for model nosuch.model"));
  }
}

TEST_CASE("admin: a plugin model gets list, form, many-to-many field and history") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, with_test_admin());
  Member root(daemon, kKarmaFleetPilot);
  Member pilot(daemon, kOmicronPilot);
  set_flags(daemon, root.id, true, true);
  auto& admin = root.browser;

  auto form = admin.get("/admin/test_admin/widget/add/");
  REQUIRE(form.status == 200);
  CHECK(contains(form.body, "name=\"owners\""));
  CHECK(contains(form.body, pilot.username));

  auto bad = admin.post("/admin/test_admin/widget/add/", {{"name", "Anchor"},
                                                          {"notes", "two\r\nlines"},
                                                          {"size", "101"},
                                                          {"colour", "green"},
                                                          {"owners", std::to_string(pilot.id)}});
  CHECK(bad.status == 400);
  CHECK(contains(bad.body, "Enter a number from 0 to 100"));
  CHECK(contains(bad.body, "Select a valid choice"));
  CHECK(count_rows(daemon.db(), "test_admin_widgets") == 0);

  for (const auto& [name, colour] : std::vector<std::pair<std::string, std::string>>{
           {"Anchor", "red"}, {"Buoy", "blue"}, {"Chain", "red"}}) {
    auto created = admin.post("/admin/test_admin/widget/add/", {{"name", name},
                                                                {"notes", "two\r\nlines"},
                                                                {"size", "5"},
                                                                {"colour", colour},
                                                                {"owners", std::to_string(pilot.id)},
                                                                {"owners", std::to_string(root.id)}});
    CHECK(created.status == 302);
  }
  CHECK(count_rows(daemon.db(), "test_admin_widget_owners") == 6);
  auto duplicate = admin.post("/admin/test_admin/widget/add/",
                              {{"name", "Buoy"}, {"size", "5"}, {"colour", "red"}});
  CHECK(duplicate.status == 400);
  CHECK(contains(duplicate.body, "A widget named Buoy exists already"));
  CHECK(count_rows(daemon.db(), "test_admin_widgets") == 3);

  // Two a page; the computed column shows the owner count.
  auto first = admin.get("/admin/test_admin/widget/");
  REQUIRE(first.status == 200);
  CHECK(contains(first.body, "Anchor"));
  CHECK_FALSE(contains(first.body, "Chain"));
  CHECK(contains(first.body, "<td>2</td>"));
  auto red = admin.get("/admin/test_admin/widget/?f_colour=red");
  CHECK(total_of(red.body) == "2");
  CHECK(admin.get("/admin/test_admin/widget/?f_colour=red&p=2").status == 302);
  auto searched = admin.get("/admin/test_admin/widget/?q=buo");
  CHECK(total_of(searched.body) == "1");

  long long anchor = 0;
  daemon.db() << "SELECT id FROM test_admin_widgets WHERE name = 'Anchor'", soci::into(anchor);
  auto path = "/admin/test_admin/widget/" + std::to_string(anchor) + "/change/";
  auto page = admin.get(path);
  auto changed = admin.post(path, {{"_version", version_of(page.body)},
                                   {"name", "Anchor"},
                                   {"notes", "two\r\nlines"},
                                   {"size", "7"},
                                   {"colour", "red"},
                                   {"owners", std::to_string(pilot.id)}});
  CHECK(changed.status == 302);
  CHECK(count_where(daemon, "SELECT COUNT(*) FROM test_admin_widget_owners WHERE widget_id = " +
                                std::to_string(anchor)) == 1);
  auto history = admin.get("/admin/test_admin/widget/" + std::to_string(anchor) + "/history/");
  CHECK(contains(history.body, "Size: from"));
  CHECK(contains(history.body, "Owners: removed"));
  CHECK(contains(history.body, root.username));
}

TEST_CASE("admin: tokens, ownerships and notifications are viewed, acted on and deleted") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    Member staff(daemon, kKarmaFleetPilot);
    Member pilot(daemon, kOmicronPilot);
    set_flags(daemon, staff.id, true, false);
    auto& admin = staff.browser;

    // Tokens: viewing needs esi.view_token, and the secrets never show.
    long long token = 0;
    std::string access_token;
    daemon.db() << "SELECT id, access_token FROM sso_tokens WHERE user_id = :user", soci::use(pilot.id),
        soci::into(token), soci::into(access_token);
    REQUIRE(token > 0);
    auto token_path = "/admin/esi/token/" + std::to_string(token) + "/";
    CHECK(admin.get(token_path + "change/").status == 403);
    grant_user_permissions(daemon.db(), staff.id, {"esi.view_token"});
    auto shown = admin.get(token_path + "change/");
    CHECK(shown.status == 200);
    CHECK(contains(shown.body, "(" + std::to_string(kOmicronPilot) + ")"));
    CHECK_FALSE(contains(shown.body, access_token));
    CHECK(admin.post(token_path + "change/", {{"_version", version_of(shown.body)}}).status == 403);
    CHECK(admin.post(token_path + "delete/", {{"post", "yes"}}).status == 403);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM sso_tokens WHERE id = " + std::to_string(token)) == 1);
    grant_user_permissions(daemon.db(), staff.id, {"esi.delete_token"});
    admin.get(token_path + "delete/");
    CHECK(admin.post(token_path + "delete/", {{"post", "yes"}}).status == 302);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM sso_tokens WHERE id = " + std::to_string(token)) == 0);

    // Notifications: the mark-viewed action needs the change permission.
    for (int i = 0; i < 2; ++i) {
      daemon.db() << "INSERT INTO notifications (user_id, level, title, message, created, viewed) "
                     "VALUES (:user, 'info', 'Fleet up', 'Form up in Jita', 0, 0)",
          soci::use(pilot.id);
    }
    grant_user_permissions(daemon.db(), staff.id, {"notifications.view_notification"});
    std::vector<std::string> notifications;
    soci::rowset<long long> ids = daemon.db().prepare << "SELECT id FROM notifications WHERE viewed = 0";
    for (long long id : ids) notifications.push_back(std::to_string(id));
    REQUIRE(notifications.size() == 2);
    Form mark{{"action", "mark_viewed"},
              {"_selected_action", notifications[0]},
              {"_selected_action", notifications[1]}};
    auto list = admin.get("/admin/notifications/notification/?f_viewed=0");
    CHECK(total_of(list.body) == "2");
    CHECK(admin.post("/admin/notifications/notification/", mark).status == 403);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM notifications WHERE viewed = 1") == 0);
    grant_user_permissions(daemon.db(), staff.id, {"notifications.change_notification"});
    admin.get("/admin/notifications/notification/");
    CHECK(admin.post("/admin/notifications/notification/", mark).status == 302);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM notifications WHERE viewed = 1") == 2);

    // Deleting an ownership detaches the character and clears the main.
    grant_user_permissions(daemon.db(), staff.id,
                           {"authentication.view_characterownership", "authentication.delete_characterownership"});
    auto ownership_path = "/admin/authentication/characterownership/" + std::to_string(kOmicronPilot) + "/delete/";
    admin.get(ownership_path);
    CHECK(admin.post(ownership_path, {{"post", "yes"}}).status == 302);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM character_ownerships WHERE character_id = " +
                                  std::to_string(kOmicronPilot)) == 0);
    CHECK(count_where(daemon, "SELECT COUNT(*) FROM user_profiles WHERE main_character_id IS NOT NULL AND user_id = " +
                                  std::to_string(pilot.id)) == 0);
  }
}
