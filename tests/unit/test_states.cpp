#include <doctest/doctest.h>

#include "auth/accounts.hpp"
#include "auth/states.hpp"
#include "test_support.hpp"

using namespace aa::core;

namespace {

// A state edit followed by the re-check that the batched tasks do in the daemon.
std::vector<StateChange> save_and_recheck(soci::session& sql, StateRecord& state) {
  save_state(sql, state);
  return update_all_user_states(sql);
}

std::vector<StateChange> delete_and_recheck(soci::session& sql, long long state_id) {
  delete_state(sql, state_id);
  return update_all_user_states(sql);
}

struct Fixture {
  explicit Fixture(const std::string& backend) : database(backend), sql(database.db().pool()) {}

  long long state_id(const std::string& name) {
    long long id = 0;
    sql << "SELECT id FROM states WHERE name = :name", soci::use(name), soci::into(id);
    return id;
  }

  aa::Character character(long long id, long long corporation, std::optional<long long> alliance = {},
                          std::optional<long long> faction = {}) {
    aa::Character c;
    c.character_id = id;
    c.character_name = "Pilot " + std::to_string(id);
    c.corporation_id = corporation;
    c.corporation_name = "Corp " + std::to_string(corporation);
    c.alliance_id = alliance;
    c.faction_id = faction;
    return c;
  }

  void add_entities() {
    sql << "INSERT INTO eve_corporations (corporation_id, corporation_name) VALUES (98370861, 'KarmaFleet')";
    sql << "INSERT INTO eve_alliances (alliance_id, alliance_name) VALUES (1354830081, 'Goonswarm Federation')";
    sql << "INSERT INTO eve_factions (faction_id, faction_name) VALUES (500002, 'Minmatar Republic')";
  }

  long long user_with_main(const aa::Character& main) {
    save_character(sql, main);
    auto id = create_user(sql, {.username = "user" + std::to_string(main.character_id)});
    auto owner_hash = "hash" + std::to_string(main.character_id);
    sql << "INSERT INTO character_ownerships (character_id, user_id, owner_hash) VALUES (:c, :u, :h)",
        soci::use(main.character_id), soci::use(id), soci::use(owner_hash);
    sql << "UPDATE user_profiles SET main_character_id = :c WHERE user_id = :u", soci::use(main.character_id),
        soci::use(id);
    return id;
  }

  aa::test::TestDatabase database;
  soci::session sql;
};

}  // namespace

TEST_CASE("states: guest is the fallback") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto user = f.user_with_main(f.character(2112000001, 98370861, 1354830081));
    auto change = update_user_state(f.sql, user);
    CHECK(change.new_state_id == f.state_id("Guest"));
    CHECK(load_user(f.sql, user)->state_name == "Guest");
  }
}

TEST_CASE("states: each membership kind admits the main character") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    f.add_entities();
    auto main = f.character(2112000001, 98370861, 1354830081, 500002);
    auto user = f.user_with_main(main);

    struct Case {
      const char* kind;
      std::function<void(StateRecord&)> admit;
    };
    std::vector<Case> cases{
        {"character", [&](StateRecord& s) { s.member_characters = {main.character_id}; }},
        {"corporation", [&](StateRecord& s) { s.member_corporations = {98370861}; }},
        {"alliance", [&](StateRecord& s) { s.member_alliances = {1354830081}; }},
        {"faction", [&](StateRecord& s) { s.member_factions = {500002}; }},
        {"public", [&](StateRecord& s) { s.is_public = true; }},
    };
    for (const auto& test : cases) {
      CAPTURE(test.kind);
      auto member = *load_state(f.sql, f.state_id("Member"));
      member.member_characters.clear();
      member.member_corporations.clear();
      member.member_alliances.clear();
      member.member_factions.clear();
      member.is_public = false;
      save_and_recheck(f.sql, member);
      CHECK(load_user(f.sql, user)->state_name == "Guest");

      test.admit(member);
      auto changes = save_and_recheck(f.sql, member);
      CHECK(load_user(f.sql, user)->state_name == "Member");
      REQUIRE(changes.size() == 1);
      CHECK(changes[0].user_id == user);
    }
  }
}

TEST_CASE("states: higher priority wins") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    f.add_entities();
    auto user = f.user_with_main(f.character(2112000001, 98370861, 1354830081));

    auto blue = *load_state(f.sql, f.state_id("Blue"));
    blue.member_alliances = {1354830081};
    save_and_recheck(f.sql, blue);
    CHECK(load_user(f.sql, user)->state_name == "Blue");

    auto member = *load_state(f.sql, f.state_id("Member"));
    member.member_corporations = {98370861};
    save_and_recheck(f.sql, member);
    CHECK(load_user(f.sql, user)->state_name == "Member");

    // Raising Blue above Member moves the user to Blue.
    blue.priority = 150;
    save_and_recheck(f.sql, blue);
    CHECK(load_user(f.sql, user)->state_name == "Blue");
  }
}

TEST_CASE("states: a duplicate priority is rejected") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    StateRecord state;
    state.name = "Allies";
    state.priority = 100;  // Member's priority.
    CHECK_THROWS_WITH_AS(save_and_recheck(f.sql, state), doctest::Contains("priority 100"), std::invalid_argument);
    int count = 0;
    f.sql << "SELECT COUNT(*) FROM states WHERE name = 'Allies'", soci::into(count);
    CHECK(count == 0);
  }
}

TEST_CASE("states: guest cannot be deleted or renamed") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto guest_id = f.state_id("Guest");
    CHECK_THROWS_WITH_AS(delete_and_recheck(f.sql, guest_id), doctest::Contains("cannot be deleted"), std::invalid_argument);
    auto guest = *load_state(f.sql, guest_id);
    guest.name = "Visitors";
    CHECK_THROWS_WITH_AS(save_and_recheck(f.sql, guest), doctest::Contains("cannot be renamed"), std::invalid_argument);
    CHECK(load_state(f.sql, guest_id)->name == "Guest");
  }
}

TEST_CASE("states: inactive users and users without a main are guests") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    f.add_entities();
    auto member = *load_state(f.sql, f.state_id("Member"));
    member.member_corporations = {98370861};
    save_and_recheck(f.sql, member);

    auto user = f.user_with_main(f.character(2112000001, 98370861));
    update_user_state(f.sql, user);
    CHECK(load_user(f.sql, user)->state_name == "Member");

    f.sql << "UPDATE users SET is_active = 0 WHERE id = :id", soci::use(user);
    update_user_state(f.sql, user);
    CHECK(load_user(f.sql, user)->state_name == "Guest");

    f.sql << "UPDATE users SET is_active = 1 WHERE id = :id", soci::use(user);
    update_user_state(f.sql, user);
    CHECK(load_user(f.sql, user)->state_name == "Member");

    auto no_main = create_user(f.sql, {.username = "nomain"});
    update_user_state(f.sql, no_main);
    CHECK(load_user(f.sql, no_main)->state_name == "Guest");
  }
}

TEST_CASE("states: members must be known entities") {
  Fixture f("sqlite3");
  auto member = *load_state(f.sql, f.state_id("Member"));
  member.member_corporations = {12345};
  CHECK_THROWS_WITH_AS(save_and_recheck(f.sql, member), doctest::Contains("corporation 12345 is not known"),
                       std::invalid_argument);
}
