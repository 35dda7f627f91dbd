// The notifications pages over HTTP: lists, one notification, mark all
// read, delete all read, delete one, the unread count in the top bar and
// its JSON endpoint, the per-user limit, and superuser notices of failed
// background tasks. Whatever reaches another user's notification is
// answered 403 and changes nothing.
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <thread>

#include "auth/notifications.hpp"
#include "harness.hpp"

using namespace aa::test;
using namespace std::chrono_literals;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;
constexpr long long kOmicronPilot = 2112000002;

long long notify(Daemon& daemon, long long user_id, const std::string& title, const std::string& message,
                 aa::NotificationLevel level = aa::NotificationLevel::info) {
  aa::core::insert_notification(daemon.db(), user_id, level, title, message);
  long long id = 0;
  daemon.db() << "SELECT MAX(id) FROM notifications WHERE user_id = :user", soci::use(user_id), soci::into(id);
  return id;
}

long long count_where(Daemon& daemon, const std::string& condition, long long user_id) {
  long long count = 0;
  daemon.db() << "SELECT COUNT(*) FROM notifications WHERE user_id = :user AND " + condition, soci::use(user_id),
      soci::into(count);
  return count;
}

struct TwoUsers {
  Browser alice;
  Browser bob;
  long long alice_id = 0;
  long long bob_id = 0;

  explicit TwoUsers(Daemon& daemon) : alice(daemon.base_url()), bob(daemon.base_url()) {
    REQUIRE(sso_flow(alice, kKarmaFleetPilot).status == 302);
    REQUIRE(sso_flow(bob, kOmicronPilot).status == 302);
    alice_id = user_of(daemon.db(), kKarmaFleetPilot);
    bob_id = user_of(daemon.db(), kOmicronPilot);
  }
};

}  // namespace

TEST_CASE("notifications: other user's notification gets 403") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    TwoUsers users(daemon);
    auto secret = notify(daemon, users.alice_id, "Alice only", "Private to Alice");
    auto path = "/notifications/" + std::to_string(secret) + "/";

    users.bob.get("/notifications/");
    auto view = users.bob.get(path);
    CHECK(view.status == 403);
    CHECK_FALSE(contains(view.body, "Private to Alice"));
    CHECK(users.bob.post("/remove_notifications/" + std::to_string(secret) + "/", {}).status == 403);
    CHECK(count_where(daemon, "viewed = 0", users.alice_id) == 1);

    // Bob's bulk actions touch only his own rows.
    CHECK(users.bob.post("/notifications/mark_all_read/", {}).status == 302);
    CHECK(users.bob.post("/notifications/delete_all_read/", {}).status == 302);
    CHECK(count_where(daemon, "viewed = 0", users.alice_id) == 1);

    // The count endpoint answers only for the user asking.
    auto foreign_count = users.bob.get("/user_notifications_count/" + std::to_string(users.alice_id) + "/");
    CHECK(foreign_count.status == 403);
    CHECK_FALSE(contains(foreign_count.body, "unread_count"));

    // Anonymous visitors are sent to the login page.
    Browser stranger(daemon.base_url());
    auto anonymous = stranger.get(path);
    CHECK(anonymous.status == 302);
    CHECK(contains(anonymous.location(), "/account/login/"));
    CHECK(stranger.get("/user_notifications_count/" + std::to_string(users.alice_id) + "/").status == 302);

    // Unknown and malformed ids.
    CHECK(users.alice.get("/notifications/999999/").status == 404);
    CHECK(users.alice.get("/notifications/99999999999999999999999/").status == 404);
    CHECK(users.alice.get("/notifications/abc/").status == 404);
  }
}

TEST_CASE("notifications: changes need POST and CSRF") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  TwoUsers users(daemon);
  auto id = notify(daemon, users.alice_id, "Keep me", "Still here");
  aa::core::mark_notification_viewed(daemon.db(), id);
  users.alice.get("/notifications/");

  auto remove = "/remove_notifications/" + std::to_string(id) + "/";
  CHECK(users.alice.get(remove).status == 405);
  CHECK(users.alice.post(remove, {}, false).status == 403);
  CHECK(users.alice.post("/notifications/delete_all_read/", {{"csrfmiddlewaretoken", "forged"}}, false).status == 403);
  CHECK(users.alice.get("/notifications/delete_all_read/").status == 405);
  CHECK(count_where(daemon, "1 = 1", users.alice_id) == 1);
}

TEST_CASE("notifications: list, view, mark read, delete") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator);
    TwoUsers users(daemon);
    auto& alice = users.alice;

    // An empty account shows both empty lists and no badge.
    auto empty = alice.get("/notifications/");
    REQUIRE(empty.status == 200);
    CHECK(contains(empty.body, "No unread notifications."));
    CHECK(contains(empty.body, "No read notifications."));
    CHECK(contains(empty.body, "id=\"aa-notifications-count\" hidden>0</span>"));

    auto first = notify(daemon, users.alice_id, "Fleet <b>up</b>", "Form up at <script>alert(1)</script>",
                        aa::NotificationLevel::warning);
    auto second = notify(daemon, users.alice_id, "SRP paid", "Line one\nLine two", aa::NotificationLevel::success);

    auto list = alice.get("/notifications/");
    REQUIRE(list.status == 200);
    CHECK(contains(list.body, "id=\"aa-unread-count\">2</span>"));
    CHECK(contains(list.body, "id=\"aa-read-count\">0</span>"));
    CHECK(contains(list.body, "Fleet &lt;b&gt;up&lt;/b&gt;"));
    CHECK_FALSE(contains(list.body, "<b>up</b>"));
    CHECK(contains(list.body, "class=\"table-warning\" id=\"aa-notification-" + std::to_string(first) + "\""));
    CHECK(contains(list.body, "id=\"aa-notifications-count\">2</span>"));
    // Newest first.
    CHECK(list.body.find("SRP paid") < list.body.find("Fleet &lt;b&gt;"));

    auto count = alice.get("/user_notifications_count/" + std::to_string(users.alice_id) + "/");
    CHECK(count.status == 200);
    CHECK(count.header("content-type") == "application/json");
    CHECK(count.body == "{\"unread_count\": 2}");

    // Viewing marks one read; the message is escaped.
    auto view = alice.get("/notifications/" + std::to_string(first) + "/");
    REQUIRE(view.status == 200);
    CHECK(contains(view.body, "Form up at &lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK_FALSE(contains(view.body, "<script>alert(1)"));
    CHECK(contains(view.body, "id=\"aa-notifications-count\">1</span>"));
    CHECK(count_where(daemon, "viewed = 1", users.alice_id) == 1);
    CHECK(alice.get("/user_notifications_count/" + std::to_string(users.alice_id) + "/").body ==
          "{\"unread_count\": 1}");

    // Mark all read, then delete all read.
    auto marked = alice.post("/notifications/mark_all_read/", {});
    CHECK(marked.status == 302);
    CHECK(marked.location() == "/notifications/");
    CHECK(count_where(daemon, "viewed = 0", users.alice_id) == 0);
    auto page = alice.get("/notifications/");
    CHECK(contains(page.body, "Marked all notifications as read."));
    CHECK(contains(page.body, "id=\"aa-read-count\">2</span>"));

    auto third = notify(daemon, users.alice_id, "New timer", "Citadel reinforced");
    alice.get("/notifications/");
    CHECK(alice.post("/notifications/delete_all_read/", {}).status == 302);
    CHECK(count_where(daemon, "1 = 1", users.alice_id) == 1);
    CHECK(count_where(daemon, "id = " + std::to_string(third) + " AND viewed = 0", users.alice_id) == 1);

    // Delete one.
    alice.get("/notifications/");
    auto removed = alice.post("/remove_notifications/" + std::to_string(third) + "/", {});
    CHECK(removed.status == 302);
    CHECK(count_where(daemon, "1 = 1", users.alice_id) == 0);
    CHECK(alice.post("/remove_notifications/" + std::to_string(third) + "/", {}).status == 404);
    (void)second;
  }
}

TEST_CASE("notifications: per-user cap and polling switch") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, "notifications:\n  refresh_time: 0\n");
  TwoUsers users(daemon);

  for (int i = 1; i <= 5; ++i) {
    aa::core::insert_notification(daemon.db(), users.bob_id, aa::NotificationLevel::info, "Note " + std::to_string(i),
                                  "Body", 3);
  }
  CHECK(count_where(daemon, "1 = 1", users.bob_id) == 3);
  std::string oldest;
  daemon.db() << "SELECT title FROM notifications WHERE user_id = :user ORDER BY id LIMIT 1", soci::use(users.bob_id),
      soci::into(oldest);
  CHECK(oldest == "Note 3");
  CHECK(count_where(daemon, "1 = 1", users.alice_id) == 0);

  // refresh_time 0: the page tells the script not to poll.
  auto page = users.bob.get("/notifications/");
  CHECK(contains(page.body, "data-refresh-seconds=\"0\""));
  auto other = users.alice.get("/dashboard/");
  CHECK(contains(other.body, "id=\"aa-notifications-count\" hidden>0</span>"));
}

TEST_CASE("notifications: superusers hear of failed tasks") {
  Emulator emulator;
  std::string plugin_dir = (bin_dir().parent_path() / "test-plugins").string();
  Daemon daemon("sqlite3", emulator,
                "plugin_dirs:\n  - \"" + plugin_dir +
                    "\"\nplugins: [test_tasks]\nnotifications:\n  max_per_user: 2\n"
                    "tasks:\n  poll_interval_ms: 100\n  worker_threads: 1\n");
  TwoUsers users(daemon);
  daemon.db() << "UPDATE users SET is_superuser = 1 WHERE id = :id", soci::use(users.alice_id);
  daemon.db() << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'";

  // Fails on all four attempts (three retries, one second apart).
  REQUIRE(daemon.cli({"call", "test_tasks.flaky", R"({"label": "doomed", "succeed_on": 99})"}).status == 0);
  REQUIRE(wait_until([&] { return count_where(daemon, "level = 'danger'", users.alice_id) == 1; }, 30s));
  CHECK(count_where(daemon, "1 = 1", users.bob_id) == 0);

  auto page = users.alice.get("/notifications/");
  CHECK(contains(page.body, "Task test_tasks.flaky failed"));
  long long id = 0;
  daemon.db() << "SELECT id FROM notifications WHERE user_id = :user", soci::use(users.alice_id), soci::into(id);
  auto view = users.alice.get("/notifications/" + std::to_string(id) + "/");
  CHECK(contains(view.body, "flaky attempt 4 fails"));

  // The SDK notifier keeps notifications.max_per_user (2 here): after two
  // more failures the first notice is gone.
  REQUIRE(daemon.cli({"call", "test_tasks.flaky", R"({"label": "doomed2", "succeed_on": 99})"}).status == 0);
  REQUIRE(daemon.cli({"call", "test_tasks.flaky", R"({"label": "doomed3", "succeed_on": 99})"}).status == 0);
  auto newest_id = [&] {
    long long newest = 0;
    daemon.db() << "SELECT COALESCE(MAX(id), 0) FROM notifications", soci::into(newest);
    return newest;
  };
  REQUIRE(wait_until([&] { return newest_id() >= id + 2; }, 40s));
  CHECK(count_where(daemon, "1 = 1", users.alice_id) == 2);
  CHECK(count_where(daemon, "id = " + std::to_string(id), users.alice_id) == 0);
}
