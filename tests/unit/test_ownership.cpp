// OwnershipService on both databases: login, add_character and change_main
// decided by owner hash. Verified characters are built here, as the SSO
// callback would hand them over, so no emulator is needed.
#include <doctest/doctest.h>

#include <algorithm>

#include "auth/accounts.hpp"
#include "auth/crypto.hpp"
#include "auth/ownership.hpp"
#include "auth/states.hpp"
#include "db/database.hpp"
#include "test_support.hpp"

using namespace aa::core;

namespace {

// A state edit followed by the re-check that the batched tasks do in the daemon.
std::vector<StateChange> save_and_recheck(soci::session& sql, StateRecord& state) {
  save_state(sql, state);
  return update_all_user_states(sql);
}

constexpr long long kKarmaFleet = 98370861;
constexpr long long kGoonswarm = 1354830081;
constexpr long long kOmicronProject = 98179071;

struct Pilot {
  long long id;
  std::string name;
  std::string owner_hash;
};

const Pilot kaelen{2112000001, "Kaelen Brightwater", "D9kBngGokQv/Iqcuu4iADq2NyZ0="};
const Pilot tovin{2112000002, "Tovin Marsh", "KJupURCf08LqR7oynHyRqH+Tnrg="};
const Pilot ilse{2112000003, "Ilse Rendahl", "dWjmuMNuVpdSuqi66nTSfriY9K0="};
const Pilot mira{2112000004, "Mira O'Sullivan", "GjyIlnidvFs+z7HJBZY7cAuCiq8="};
const Pilot bram{2112000007, "Bram Ostrander", "9SU5G1AToA4nqs5+P7yWmbn3Cfc="};

// A character as the SSO callback hands it over: verified claims, the tokens
// and the affiliation just read from ESI.
VerifiedCharacter verified(const Pilot& pilot, const std::string& owner_hash, long long corporation_id = kKarmaFleet,
                           std::optional<long long> alliance_id = kGoonswarm) {
  static int serial = 0;
  ++serial;
  VerifiedCharacter v;
  v.claims.character_id = pilot.id;
  v.claims.character_name = pilot.name;
  v.claims.owner_hash = owner_hash;
  v.claims.scopes = {"publicData"};
  v.claims.token_type = "character";
  v.claims.expires_at = unix_now() + 1200;
  v.tokens.access_token = "access-token-" + std::to_string(pilot.id) + "-" + std::to_string(serial);
  v.tokens.refresh_token = "refresh-token-" + std::to_string(pilot.id) + "-" + std::to_string(serial);
  v.tokens.expires_in = 1199;

  auto& character = v.affiliation.character;
  character.character_id = pilot.id;
  character.character_name = pilot.name;
  character.corporation_id = corporation_id;
  character.corporation_name = corporation_id == aa::Character::kDoomheimCorporationId
                                   ? "Doomheim"
                                   : "Corporation " + std::to_string(corporation_id);
  character.alliance_id = alliance_id;
  if (alliance_id) character.alliance_name = "Alliance " + std::to_string(*alliance_id);
  v.affiliation.corporation.corporation_id = corporation_id;
  v.affiliation.corporation.name = character.corporation_name;
  v.affiliation.corporation.alliance_id = alliance_id;
  if (alliance_id) v.affiliation.alliance = AllianceInfo{*alliance_id, character.alliance_name, "ALLY", std::nullopt};
  return v;
}

VerifiedCharacter verified(const Pilot& pilot) { return verified(pilot, pilot.owner_hash); }

VerifiedCharacter biomassed(const Pilot& pilot) {
  return verified(pilot, pilot.owner_hash, aa::Character::kDoomheimCorporationId, std::nullopt);
}

bool has_event(const OwnershipResult& result, aa::Signal signal, long long user_id) {
  return std::any_of(result.events.begin(), result.events.end(), [&](const aa::SignalEvent& event) {
    return event.signal == signal && event.user_id == user_id;
  });
}

// Options of an SSO that is never contacted: ownership decisions store
// tokens but do not refresh them.
SsoOptions unused_sso_options() {
  SsoOptions options;
  options.client_id = "client";
  options.client_secret = "secret";
  options.metadata_url = "http://127.0.0.1:9/.well-known/oauth-authorization-server";
  return options;
}

struct Fixture {
  explicit Fixture(const std::string& backend)
      : database(backend),
        sql(database.db().pool()),
        box("unit-test-secret-key-0123456789-abcdef"),
        sso(unused_sso_options()),
        tokens(box, sso),
        service(tokens) {}

  long long count(const std::string& query) {
    long long value = 0;
    sql << query, soci::into(value);
    return value;
  }

  long long count_for(const std::string& query, long long id) {
    long long value = 0;
    sql << query, soci::use(id), soci::into(value);
    return value;
  }

  std::optional<long long> owner(long long character_id) { return owner_of_character(sql, character_id); }

  std::optional<long long> main_of(long long user_id) {
    auto user = load_user(sql, user_id);
    REQUIRE(user.has_value());
    if (!user->main_character) return std::nullopt;
    return user->main_character->character_id;
  }

  std::string username_of(long long user_id) {
    auto user = load_user(sql, user_id);
    REQUIRE(user.has_value());
    return user->username;
  }

  // Logs in and returns the user. A failed login fails the test.
  long long login(const VerifiedCharacter& v) {
    auto result = service.login(sql, v);
    INFO("message: " << result.message);
    REQUIRE(result.ok);
    REQUIRE(result.user_id.has_value());
    return *result.user_id;
  }

  void add(long long user_id, const VerifiedCharacter& v) {
    auto result = service.add_character(sql, user_id, v);
    INFO("message: " << result.message);
    REQUIRE(result.ok);
  }

  long long state_id(const std::string& name) {
    long long id = 0;
    sql << "SELECT id FROM states WHERE name = :name", soci::use(name), soci::into(id);
    return id;
  }

  aa::test::TestDatabase database;
  soci::session sql;
  SecretBox box;
  SsoClient sso;
  TokenStore tokens;
  OwnershipService service;
};

}  // namespace

TEST_CASE("ownership: first login creates the user") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto v = verified(mira);

    auto result = f.service.login(f.sql, v);
    REQUIRE(result.ok);
    CHECK(result.created_user);
    REQUIRE(result.user_id.has_value());
    auto user_id = *result.user_id;
    CHECK(f.username_of(user_id) == "Mira_OSullivan");
    CHECK(f.main_of(user_id) == mira.id);
    CHECK(f.owner(mira.id) == user_id);
    CHECK(has_event(result, aa::Signal::character_ownership_changed, user_id));
    CHECK(has_event(result, aa::Signal::main_character_changed, user_id));

    std::string stored_hash;
    f.sql << "SELECT owner_hash FROM character_ownerships WHERE character_id = :id", soci::use(mira.id),
        soci::into(stored_hash);
    CHECK(stored_hash == mira.owner_hash);
    CHECK(f.count_for("SELECT COUNT(*) FROM ownership_records WHERE character_id = :id", mira.id) == 1);
    CHECK(f.count_for("SELECT COUNT(*) FROM users WHERE id = :id AND last_login IS NOT NULL", user_id) == 1);

    // The affiliation was stored with the character.
    auto character = load_character(f.sql, mira.id);
    REQUIRE(character.has_value());
    CHECK(character->corporation_id == kKarmaFleet);
    CHECK(character->alliance_id == kGoonswarm);

    // The token is stored encrypted, so the columns do not contain the token text.
    std::string access_column;
    std::string refresh_column;
    long long token_user = 0;
    f.sql << "SELECT access_token, refresh_token, user_id FROM sso_tokens WHERE character_id = :id",
        soci::use(mira.id), soci::into(access_column), soci::into(refresh_column), soci::into(token_user);
    CHECK(token_user == user_id);
    CHECK(access_column.find(v.tokens.access_token) == std::string::npos);
    CHECK(refresh_column.find(v.tokens.refresh_token) == std::string::npos);
    auto stored = f.tokens.tokens_of_character(f.sql, mira.id);
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].access_token == v.tokens.access_token);
    CHECK(stored[0].refresh_token == v.tokens.refresh_token);
    CHECK(stored[0].owner_hash == mira.owner_hash);
  }
}

TEST_CASE("ownership: taken username gets a number") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    create_user(f.sql, {.username = "Mira_OSullivan"});

    auto user_id = f.login(verified(mira));
    CHECK(f.username_of(user_id) == "Mira_OSullivan_1");
    CHECK(username_for_character(f.sql, "Mira O'Sullivan") == "Mira_OSullivan_2");
    CHECK(username_for_character(f.sql, "Kaelen Brightwater") == "Kaelen_Brightwater");
  }
}

TEST_CASE("ownership: usernames keep to the username rule") {
  Fixture f("sqlite3");
  CHECK(username_for_character(f.sql, "<script>alert(1)</script>") == "_script_alert_1___script_");
  CHECK(username_for_character(f.sql, "Pilot\xe2\x80\xae" "Evil") == "Pilot___Evil");
  CHECK(username_for_character(f.sql, "Ann-Marie O.Neil") == "Ann-Marie_O.Neil");
  CHECK(username_for_character(f.sql, "''") == "pilot");
  auto long_name = username_for_character(f.sql, std::string(200, 'x'));
  CHECK(long_name.size() == 140);
  CHECK(aa::core::username_problem(long_name + "_99") == std::nullopt);
}

TEST_CASE("ownership: second login finds the same user") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto first = f.login(verified(kaelen));

    auto result = f.service.login(f.sql, verified(kaelen));
    REQUIRE(result.ok);
    CHECK(result.user_id == first);
    CHECK_FALSE(result.created_user);
    CHECK(f.count("SELECT COUNT(*) FROM users") == 1);
    CHECK(f.count("SELECT COUNT(*) FROM ownership_records") == 1);
  }
}

TEST_CASE("ownership: alt login is rejected") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto user_id = f.login(verified(kaelen));
    f.add(user_id, verified(tovin));
    f.sql << "UPDATE users SET last_login = NULL WHERE id = :id", soci::use(user_id);

    auto result = f.service.login(f.sql, verified(tovin));
    CHECK_FALSE(result.ok);
    CHECK_FALSE(result.user_id.has_value());
    CHECK(result.message.find("log in with the main character") != std::string::npos);
    CHECK(f.count_for("SELECT COUNT(*) FROM users WHERE id = :id AND last_login IS NULL", user_id) == 1);
    CHECK(f.main_of(user_id) == kaelen.id);
    CHECK(f.owner(tovin.id) == user_id);
    CHECK(f.count("SELECT COUNT(*) FROM users") == 1);
  }
}

TEST_CASE("ownership: owner hash change moves the character") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto old_user = f.login(verified(kaelen));
    // Kaelen's corporation makes the old user a Member.
    auto member = *load_state(f.sql, f.state_id("Member"));
    member.member_corporations = {kKarmaFleet};
    save_and_recheck(f.sql, member);
    REQUIRE(load_user(f.sql, old_user)->state_name == "Member");

    // The character was sold, so it keeps its id and gets a new owner hash.
    auto result = f.service.login(f.sql, verified(kaelen, "NewOwnerHash000000000000000="));
    REQUIRE(result.ok);
    CHECK(result.created_user);
    REQUIRE(result.user_id.has_value());
    auto new_user = *result.user_id;
    CHECK(new_user != old_user);
    CHECK(f.username_of(new_user) == "Kaelen_Brightwater_1");
    CHECK(f.main_of(new_user) == kaelen.id);
    CHECK(f.owner(kaelen.id) == new_user);

    // The old user lost the character, its tokens and the main, so they are a Guest again.
    CHECK_FALSE(f.main_of(old_user).has_value());
    CHECK(f.count_for("SELECT COUNT(*) FROM sso_tokens WHERE user_id = :id", old_user) == 0);
    CHECK(f.count_for("SELECT COUNT(*) FROM sso_tokens WHERE user_id = :id", new_user) == 1);
    CHECK(load_user(f.sql, old_user)->state_name == "Guest");
    CHECK(load_user(f.sql, new_user)->state_name == "Member");
    CHECK(f.count_for("SELECT COUNT(*) FROM notifications WHERE user_id = :id AND title = "
                      "'Character ownership changed'",
                      old_user) == 1);
    CHECK(has_event(result, aa::Signal::character_ownership_changed, old_user));
    CHECK(has_event(result, aa::Signal::main_character_changed, old_user));
    CHECK(has_event(result, aa::Signal::user_state_changed, old_user));
    CHECK(f.count_for("SELECT COUNT(*) FROM ownership_records WHERE character_id = :id", kaelen.id) == 2);
  }
}

TEST_CASE("ownership: returning owner hash finds the old user") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto first_user = f.login(verified(kaelen));
    auto second_user = f.login(verified(kaelen, "NewOwnerHash000000000000000="));
    REQUIRE(second_user != first_user);

    // Sold back to the first owner, it returns to the old account, not a new Kaelen_Brightwater_2.
    auto result = f.service.login(f.sql, verified(kaelen));
    REQUIRE(result.ok);
    CHECK_FALSE(result.created_user);
    CHECK(result.user_id == first_user);
    CHECK(f.owner(kaelen.id) == first_user);
    CHECK(f.main_of(first_user) == kaelen.id);
    CHECK_FALSE(f.main_of(second_user).has_value());
    CHECK(f.count("SELECT COUNT(*) FROM users") == 2);
    CHECK(f.count_for("SELECT COUNT(*) FROM notifications WHERE user_id = :id", second_user) == 1);
  }
}

TEST_CASE("ownership: adding another account's character fails") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto owner = f.login(verified(kaelen));
    auto other = f.login(verified(tovin));

    auto result = f.service.add_character(f.sql, other, verified(kaelen));
    CHECK_FALSE(result.ok);
    CHECK(result.message.find("already have an account") != std::string::npos);
    CHECK(result.events.empty());
    CHECK(f.owner(kaelen.id) == owner);
    CHECK(f.main_of(owner) == kaelen.id);
    CHECK(f.count_for("SELECT COUNT(*) FROM sso_tokens WHERE user_id = :id", other) == 1);

    // The same character under a new owner hash moves to the account proving it.
    result = f.service.add_character(f.sql, other, verified(kaelen, "NewOwnerHash000000000000000="));
    CHECK(result.ok);
    CHECK(f.owner(kaelen.id) == other);
    CHECK_FALSE(f.main_of(owner).has_value());
    CHECK(f.main_of(other) == tovin.id);
  }
}

TEST_CASE("ownership: change_main needs an owned character") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto user_id = f.login(verified(kaelen));
    f.add(user_id, verified(tovin));
    auto other = f.login(verified(ilse));

    auto rejected = f.service.change_main(f.sql, user_id, ilse.id);
    CHECK_FALSE(rejected.ok);
    CHECK(rejected.message == "You do not own that character.");
    CHECK(f.main_of(user_id) == kaelen.id);
    CHECK(f.main_of(other) == ilse.id);

    auto unknown = f.service.change_main(f.sql, user_id, 2112999999);
    CHECK_FALSE(unknown.ok);

    auto changed = f.service.change_main(f.sql, user_id, tovin.id);
    CHECK(changed.ok);
    CHECK(f.main_of(user_id) == tovin.id);
    CHECK(has_event(changed, aa::Signal::main_character_changed, user_id));

    // By token, a character owned by another account under the same hash is rejected.
    auto by_token = f.service.change_main_by_token(f.sql, user_id, verified(ilse));
    CHECK_FALSE(by_token.ok);
    CHECK(by_token.message.find("owned by a different account") != std::string::npos);
    CHECK(f.main_of(user_id) == tovin.id);
    CHECK(f.owner(ilse.id) == other);
  }
}

TEST_CASE("ownership: biomassed character is rejected") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto user_id = f.login(verified(kaelen));
    f.add(user_id, verified(bram));
    REQUIRE(f.count_for("SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", bram.id) == 1);

    // Bram has been biomassed since, so his next SSO login shows him in Doomheim.
    auto result = f.service.login(f.sql, biomassed(bram));
    CHECK_FALSE(result.ok);
    CHECK_FALSE(result.user_id.has_value());
    CHECK(result.message.find("biomassed") != std::string::npos);
    CHECK(f.count_for("SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", bram.id) == 0);
    CHECK(f.count_for("SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", kaelen.id) == 1);
    CHECK(f.count_for("SELECT COUNT(*) FROM notifications WHERE user_id = :id AND title = 'Character biomassed'",
                      user_id) == 1);
    CHECK(load_character(f.sql, bram.id)->corporation_id == aa::Character::kDoomheimCorporationId);
    CHECK(f.count("SELECT COUNT(*) FROM users") == 1);

    auto change = f.service.change_main(f.sql, user_id, bram.id);
    CHECK_FALSE(change.ok);
    CHECK(change.message.find("biomassed") != std::string::npos);
    CHECK(f.main_of(user_id) == kaelen.id);
    CHECK_FALSE(f.service.add_character(f.sql, user_id, biomassed(bram)).ok);
  }
}

TEST_CASE("ownership: biomassed newcomer gets no account") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);

    auto result = f.service.login(f.sql, biomassed(bram));
    CHECK_FALSE(result.ok);
    CHECK(f.count("SELECT COUNT(*) FROM users") == 0);
    CHECK(f.count("SELECT COUNT(*) FROM character_ownerships") == 0);
    CHECK(f.count("SELECT COUNT(*) FROM sso_tokens") == 0);
  }
}

TEST_CASE("ownership: failed login leaves nothing behind") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto existing = f.login(verified(kaelen));

    // Without the ownership records table, the login fails after the
    // affiliation and the user were written, as any database error inside
    // the login would.
    Pilot long_name{2112000005, "Oren Falk", "hxxi0XRRX2D0Lgb4CmXH1g1Mqts="};
    f.sql << "DROP TABLE ownership_records";
    {
      soci::transaction transaction(f.sql);
      CHECK_THROWS(f.service.login(f.sql, verified(long_name, long_name.owner_hash, kOmicronProject)));
      transaction.rollback();
    }

    CHECK(f.count("SELECT COUNT(*) FROM users") == 1);
    CHECK(f.count_for("SELECT COUNT(*) FROM eve_characters WHERE character_id = :id", long_name.id) == 0);
    CHECK(f.count_for("SELECT COUNT(*) FROM eve_corporations WHERE corporation_id = :id", kOmicronProject) == 0);
    CHECK(f.count_for("SELECT COUNT(*) FROM character_ownerships WHERE character_id = :id", long_name.id) == 0);
    CHECK(f.count_for("SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", long_name.id) == 0);
    CHECK(f.main_of(existing) == kaelen.id);
  }
}
