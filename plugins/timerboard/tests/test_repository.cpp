#include <doctest/doctest.h>
#include <soci/soci.h>

#include "db/migrator.hpp"
#include "eve_time.hpp"
#include "migrations.hpp"
#include "test_support.hpp"
#include "timer_repository.hpp"

using namespace timerboard;

namespace {

constexpr long long kKarmaFleet = 98370861;
constexpr long long kPandemicHorde = 98388312;
const long long kNow = *parse_eve_time("2024-05-01 12:00");

aa::core::MigrationSet timerboard_migrations() { return {"timerboard", migrations()}; }

struct Fixture {
  explicit Fixture(const std::string& backend) : database(backend) {
    aa::core::Migrator(database.db()).migrate(timerboard_migrations(), std::nullopt);
  }

  bool table_exists() {
    soci::session sql(database.db().pool());
    int count = 0;
    std::string name = kTimerTable;
    if (database.db().dialect() == aa::Dialect::mysql) {
      sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :name",
          soci::use(name), soci::into(count);
    } else {
      sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :name", soci::use(name),
          soci::into(count);
    }
    return count == 1;
  }

  long long count_rows() {
    soci::session sql(database.db().pool());
    long long count = 0;
    sql << "SELECT COUNT(*) FROM " + std::string(kTimerTable), soci::into(count);
    return count;
  }

  aa::test::TestDatabase database;
};

Timer make_timer(const std::string& details, long long eve_time, long long corporation = kKarmaFleet,
                 bool corp_timer = false) {
  Timer timer;
  timer.details = details;
  timer.system = "Jita";
  timer.planet_moon = "IV - Moon 4";
  timer.structure = "Fortizar";
  timer.timer_type = "ARMOR";
  timer.objective = "Hostile";
  timer.eve_time = eve_time;
  timer.corp_timer = corp_timer;
  timer.user_id = 7;
  timer.character_id = 2112000001;
  timer.character_name = "Pilot One";
  timer.corporation_id = corporation;
  timer.corporation_name = corporation == kKarmaFleet ? "KarmaFleet" : "Pandemic Horde Inc.";
  timer.created_at = kNow - 100;
  timer.updated_at = kNow - 100;
  return timer;
}

std::vector<std::string> details_of(const std::vector<Timer>& timers) {
  std::vector<std::string> out;
  for (const auto& timer : timers) out.push_back(timer.details);
  return out;
}

}  // namespace

TEST_CASE("repository: migrate zero drops the table and migrate re-creates it") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    aa::core::Migrator migrator(f.database.db());
    CHECK(f.table_exists());
    CHECK(migrator.applied_number("timerboard") == 1);
    {
      soci::session sql(f.database.db().pool());
      auto timer = make_timer("kept until zero", kNow);
      insert_timer(sql, timer);
    }
    CHECK(f.count_rows() == 1);

    migrator.migrate(timerboard_migrations(), 0);
    CHECK_FALSE(f.table_exists());
    CHECK(migrator.applied_number("timerboard") == 0);

    migrator.migrate(timerboard_migrations(), std::nullopt);
    CHECK(f.table_exists());
    CHECK(migrator.applied_number("timerboard") == 1);
    CHECK(f.count_rows() == 0);
  }
}

TEST_CASE("repository: insert and find keep every column") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    soci::session sql(f.database.db().pool());

    auto timer = make_timer("<script>alert('x')</script> & 吉他 🚀", kNow + 3600);
    timer.system = "1DQ1-A";
    timer.important = true;
    insert_timer(sql, timer);
    REQUIRE(timer.id > 0);

    auto found = find_timer(sql, timer.id, kKarmaFleet);
    REQUIRE(found.has_value());
    CHECK(found->id == timer.id);
    CHECK(found->details == "<script>alert('x')</script> & 吉他 🚀");
    CHECK(found->system == "1DQ1-A");
    CHECK(found->planet_moon == "IV - Moon 4");
    CHECK(found->structure == "Fortizar");
    CHECK(found->timer_type == "ARMOR");
    CHECK(found->objective == "Hostile");
    CHECK(found->eve_time == kNow + 3600);
    CHECK(found->important);
    CHECK_FALSE(found->corp_timer);
    CHECK(found->user_id == 7);
    CHECK(found->character_id == 2112000001);
    CHECK(found->character_name == "Pilot One");
    CHECK(found->corporation_id == kKarmaFleet);
    CHECK(found->corporation_name == "KarmaFleet");
    CHECK(found->created_at == kNow - 100);
    CHECK(found->updated_at == kNow - 100);

    // 254 four-byte characters fit the column on both databases.
    auto wide = make_timer("", kNow);
    for (int i = 0; i < 254; ++i) wide.details += "🚀";
    insert_timer(sql, wide);
    CHECK(find_timer(sql, wide.id, 0)->details == wide.details);

    CHECK_FALSE(find_timer(sql, timer.id + 1000, kKarmaFleet).has_value());
  }
}

TEST_CASE("repository: a timer without a creator corporation is not stored") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    soci::session sql(f.database.db().pool());
    auto timer = make_timer("no corporation", kNow, 0);
    CHECK_THROWS_WITH_AS(insert_timer(sql, timer), doctest::Contains("corporation 0"), std::invalid_argument);
    CHECK(timer.id == 0);
    CHECK(f.count_rows() == 0);
  }
}

TEST_CASE("repository: next and past timers are ordered and bounded") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    soci::session sql(f.database.db().pool());
    for (auto [details, time] : std::vector<std::pair<std::string, long long>>{
             {"in two days", kNow + 2 * 86400},
             {"now", kNow},
             {"in an hour", kNow + 3600},
             {"a minute ago", kNow - 60},
             {"ten days ago", kNow - 10 * 86400},
             {"yesterday", kNow - 86400},
             {"forty days ago", kNow - 40 * 86400},
         }) {
      auto timer = make_timer(details, time);
      insert_timer(sql, timer);
    }

    CHECK(details_of(upcoming_timers(sql, kKarmaFleet, kNow)) ==
          std::vector<std::string>{"now", "in an hour", "in two days"});
    CHECK(details_of(past_timers(sql, kKarmaFleet, kNow, kNow - 30 * 86400)) ==
          std::vector<std::string>{"a minute ago", "yesterday", "ten days ago"});
    CHECK(details_of(past_timers(sql, kKarmaFleet, kNow, kNow - 5 * 86400)) ==
          std::vector<std::string>{"a minute ago", "yesterday"});
  }
}

TEST_CASE("repository: corporation-only timers are hidden from other corporations") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    soci::session sql(f.database.db().pool());
    auto open = make_timer("open", kNow + 60);
    auto ours = make_timer("karma only", kNow + 120, kKarmaFleet, true);
    auto theirs = make_timer("horde only", kNow + 180, kPandemicHorde, true);
    auto our_past = make_timer("karma past", kNow - 60, kKarmaFleet, true);
    for (auto* timer : {&open, &ours, &theirs, &our_past}) insert_timer(sql, *timer);

    CHECK(details_of(upcoming_timers(sql, kKarmaFleet, kNow)) == std::vector<std::string>{"open", "karma only"});
    CHECK(details_of(upcoming_timers(sql, kPandemicHorde, kNow)) == std::vector<std::string>{"open", "horde only"});
    CHECK(details_of(upcoming_timers(sql, 0, kNow)) == std::vector<std::string>{"open"});
    CHECK(details_of(past_timers(sql, kKarmaFleet, kNow, kNow - 86400)) == std::vector<std::string>{"karma past"});
    CHECK(past_timers(sql, kPandemicHorde, kNow, kNow - 86400).empty());

    CHECK(find_timer(sql, ours.id, kKarmaFleet).has_value());
    CHECK_FALSE(find_timer(sql, ours.id, kPandemicHorde).has_value());
    CHECK_FALSE(find_timer(sql, theirs.id, kKarmaFleet).has_value());
    CHECK_FALSE(find_timer(sql, theirs.id, 0).has_value());
    CHECK(find_timer(sql, open.id, 0).has_value());
  }
}

TEST_CASE("repository: update writes the editable fields only") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    soci::session sql(f.database.db().pool());
    auto timer = make_timer("before", kNow + 60);
    insert_timer(sql, timer);
    auto other = make_timer("untouched", kNow + 120);
    insert_timer(sql, other);

    auto changed = timer;
    changed.details = "after";
    changed.system = "Amarr";
    changed.planet_moon = "";
    changed.structure = "Other";
    changed.timer_type = "FINAL";
    changed.objective = "Friendly";
    changed.eve_time = kNow + 7200;
    changed.important = true;
    changed.corp_timer = true;
    // Creator fields are not editable; these values must not be written.
    changed.user_id = 99;
    changed.character_id = 1;
    changed.character_name = "Someone Else";
    changed.corporation_id = kPandemicHorde;
    changed.corporation_name = "Pandemic Horde Inc.";
    changed.created_at = 1;
    update_timer(sql, changed, kNow);

    auto found = find_timer(sql, timer.id, kKarmaFleet);
    REQUIRE(found.has_value());
    CHECK(found->details == "after");
    CHECK(found->system == "Amarr");
    CHECK(found->planet_moon == "");
    CHECK(found->structure == "Other");
    CHECK(found->timer_type == "FINAL");
    CHECK(found->objective == "Friendly");
    CHECK(found->eve_time == kNow + 7200);
    CHECK(found->important);
    CHECK(found->corp_timer);
    CHECK(found->user_id == 7);
    CHECK(found->character_id == 2112000001);
    CHECK(found->character_name == "Pilot One");
    CHECK(found->corporation_id == kKarmaFleet);
    CHECK(found->corporation_name == "KarmaFleet");
    CHECK(found->created_at == kNow - 100);
    CHECK(found->updated_at == kNow);

    CHECK(find_timer(sql, other.id, 0)->details == "untouched");
  }
}

TEST_CASE("repository: delete removes one timer once") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    soci::session sql(f.database.db().pool());
    auto timer = make_timer("doomed", kNow);
    auto other = make_timer("kept", kNow);
    insert_timer(sql, timer);
    insert_timer(sql, other);

    CHECK(delete_timer(sql, timer.id));
    CHECK_FALSE(find_timer(sql, timer.id, kKarmaFleet).has_value());
    CHECK_FALSE(delete_timer(sql, timer.id));
    CHECK(f.count_rows() == 1);
  }
}

TEST_CASE("repository: forget_user empties the creator user only") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    soci::session sql(f.database.db().pool());
    auto first = make_timer("first", kNow);
    auto second = make_timer("second", kNow);
    auto other = make_timer("other user", kNow);
    other.user_id = 8;
    for (auto* timer : {&first, &second, &other}) insert_timer(sql, *timer);

    CHECK(forget_user(sql, 7) == 2);
    CHECK_FALSE(find_timer(sql, first.id, 0)->user_id.has_value());
    CHECK(find_timer(sql, first.id, 0)->character_name == "Pilot One");
    CHECK_FALSE(find_timer(sql, second.id, 0)->user_id.has_value());
    CHECK(find_timer(sql, other.id, 0)->user_id == 8);
    CHECK(forget_user(sql, 7) == 0);
  }
}
