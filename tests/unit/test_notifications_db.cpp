// Stored notifications below the pages: several notices for one user at
// the same moment, as leaders get them when members file requests at once,
// each stored without an error and trimmed to max_per_user.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "aa/db.hpp"
#include "auth/accounts.hpp"
#include "auth/notifications.hpp"
#include "test_support.hpp"

using namespace aa::core;

TEST_CASE("notifications db: simultaneous notices stay within max_per_user") {
  constexpr int kThreads = 6;
  constexpr int kPerThread = 10;
  constexpr int kKeep = 5;
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    long long user_id = 0;
    {
      soci::session sql(database.db().pool());
      user_id = create_user(sql, {.username = "leader"});
    }

    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        soci::session sql(database.db().pool());
        for (int i = 0; i < kPerThread; ++i) {
          try {
            aa::WriteTransaction transaction(sql);
            insert_notification(sql, user_id, aa::NotificationLevel::info, "Note " + std::to_string(t * 100 + i),
                                "Body", kKeep);
            transaction.commit();
          } catch (const std::exception& error) {
            MESSAGE(error.what());
            ++failures;
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();

    CHECK(failures == 0);
    soci::session sql(database.db().pool());
    long long stored = 0;
    sql << "SELECT COUNT(*) FROM notifications WHERE user_id = :user", soci::use(user_id), soci::into(stored);
    CHECK(stored == kKeep);
  }
}
