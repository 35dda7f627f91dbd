// SessionStore on both databases: create, load, rotate at login, destroy at
// logout, and expiry.
#include <doctest/doctest.h>

#include "auth/accounts.hpp"
#include "auth/crypto.hpp"
#include "db/database.hpp"
#include "http/sessions.hpp"
#include "test_support.hpp"

using namespace aa::core;

namespace {

constexpr long long kAge = 3600;

struct Fixture {
  explicit Fixture(const std::string& backend) : database(backend), sql(database.db().pool()), store(kAge) {
    user_id = create_user(sql, {.username = "session_user"});
  }

  // Stores a new session with a user and a one-time message and returns its cookie value.
  std::string saved_session(Session& session) {
    session = store.create();
    session.user_id = user_id;
    session.data["messages"] = boost::json::array{"Welcome back"};
    store.save(sql, session);
    return session.new_cookie_value;
  }

  long long count_sessions() {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM sessions", soci::into(count);
    return count;
  }

  void expire(const std::string& cookie_value) {
    long long past = unix_now() - 1;
    auto hash = sha256_hex(cookie_value);
    sql << "UPDATE sessions SET expires_at = :past WHERE key_hash = :hash", soci::use(past), soci::use(hash);
  }

  aa::test::TestDatabase database;
  soci::session sql;
  SessionStore store;
  long long user_id = 0;
};

}  // namespace

TEST_CASE("sessions: saved session loads") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    Session session;
    auto cookie = f.saved_session(session);
    CHECK(cookie.size() == 43);
    CHECK(session.stored);
    CHECK_FALSE(session.dirty);

    auto loaded = f.store.load(f.sql, cookie);
    REQUIRE(loaded.has_value());
    CHECK(loaded->user_id == f.user_id);
    CHECK(loaded->csrf_token == session.csrf_token);
    CHECK(loaded->csrf_token.size() == 43);
    CHECK(loaded->data.at("messages").as_array().at(0).as_string() == "Welcome back");
    CHECK(loaded->expires_at == session.expires_at);
    CHECK(loaded->expires_at > unix_now() + kAge - 60);
    CHECK(loaded->new_cookie_value.empty());

    // The table keeps the SHA-256 of the cookie value, never the value itself.
    std::string key_hash;
    f.sql << "SELECT key_hash FROM sessions", soci::into(key_hash);
    CHECK(key_hash == sha256_hex(cookie));
    CHECK(key_hash != cookie);
  }
}

TEST_CASE("sessions: changed data is saved") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    Session session;
    auto cookie = f.saved_session(session);

    auto loaded = f.store.load(f.sql, cookie);
    REQUIRE(loaded.has_value());
    loaded->data["language"] = "de";
    loaded->dirty = true;
    f.store.save(f.sql, *loaded);
    CHECK(f.count_sessions() == 1);

    auto again = f.store.load(f.sql, cookie);
    REQUIRE(again.has_value());
    CHECK(again->data.at("language").as_string() == "de");
    CHECK(again->data.contains("messages"));
  }
}

TEST_CASE("sessions: rotate gives a new key") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    Session session;
    auto old_cookie = f.saved_session(session);
    auto old_csrf = session.csrf_token;
    auto old_hash = session.key_hash;

    f.store.rotate(f.sql, session);
    CHECK(session.new_cookie_value.size() == 43);
    CHECK(session.new_cookie_value != old_cookie);
    CHECK(session.key_hash != old_hash);
    CHECK(session.csrf_token != old_csrf);
    CHECK(session.dirty);
    f.store.save(f.sql, session);

    CHECK_FALSE(f.store.load(f.sql, old_cookie).has_value());
    auto loaded = f.store.load(f.sql, session.new_cookie_value);
    REQUIRE(loaded.has_value());
    CHECK(loaded->user_id == f.user_id);
    CHECK(loaded->csrf_token == session.csrf_token);
    CHECK(loaded->data.at("messages").as_array().at(0).as_string() == "Welcome back");
    CHECK(f.count_sessions() == 1);
  }
}

TEST_CASE("sessions: rotate before the first save") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto session = f.store.create();
    auto first_cookie = session.new_cookie_value;

    // As login does: rotate, then put the user in.
    f.store.rotate(f.sql, session);
    session.user_id = f.user_id;
    CHECK(f.store.save(f.sql, session));
    CHECK(f.count_sessions() == 1);
    CHECK_FALSE(f.store.load(f.sql, first_cookie).has_value());
    CHECK(f.store.load(f.sql, session.new_cookie_value).has_value());
  }
}

TEST_CASE("sessions: an empty anonymous session is not stored") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    auto empty = f.store.create();
    CHECK_FALSE(f.store.save(f.sql, empty));
    CHECK(f.count_sessions() == 0);

    auto kept = f.store.create();
    kept.keep = true;
    CHECK(f.store.save(f.sql, kept));
    auto with_data = f.store.create();
    with_data.data["language"] = "de";
    CHECK(f.store.save(f.sql, with_data));
    CHECK(f.count_sessions() == 2);
    // Anonymous sessions live an hour, not the configured two weeks.
    CHECK(kept.expires_at <= aa::core::unix_now() + SessionStore::anonymous_age_seconds());
  }
}

TEST_CASE("sessions: destroy removes the session") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    Session session;
    auto cookie = f.saved_session(session);
    Session other;
    auto other_cookie = f.saved_session(other);

    f.store.destroy(f.sql, session);
    CHECK(session.destroyed);
    CHECK_FALSE(session.user_id.has_value());
    CHECK_FALSE(f.store.load(f.sql, cookie).has_value());

    // Saving a destroyed session writes nothing back.
    session.dirty = true;
    f.store.save(f.sql, session);
    CHECK_FALSE(f.store.load(f.sql, cookie).has_value());
    CHECK(f.count_sessions() == 1);
    CHECK(f.store.load(f.sql, other_cookie).has_value());
  }
}

TEST_CASE("sessions: expired sessions do not load") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    Session expired;
    auto expired_cookie = f.saved_session(expired);
    Session live;
    auto live_cookie = f.saved_session(live);
    f.expire(expired_cookie);

    CHECK_FALSE(f.store.load(f.sql, expired_cookie).has_value());
    CHECK(f.store.load(f.sql, live_cookie).has_value());

    CHECK(f.store.purge_expired(f.sql) == 1);
    CHECK(f.count_sessions() == 1);
    CHECK(f.store.load(f.sql, live_cookie).has_value());
    CHECK(f.store.purge_expired(f.sql) == 0);
  }
}

TEST_CASE("sessions: unknown cookies do not load") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    Fixture f(backend);
    Session session;
    auto cookie = f.saved_session(session);

    for (const auto& value : {std::string(), std::string("short"), random_token(32), cookie + "x",
                              cookie.substr(0, 42), std::string(43, '\''), sha256_hex(cookie)}) {
      CAPTURE(value);
      CHECK_FALSE(f.store.load(f.sql, value).has_value());
    }
  }
}
