#include "http/sessions.hpp"

#include <boost/json.hpp>

#include <algorithm>

#include "auth/crypto.hpp"
#include "db/database.hpp"

namespace aa::core {

SessionStore::SessionStore(long long age_seconds) : age_seconds_(age_seconds) {}

std::optional<Session> SessionStore::load(soci::session& sql, const std::string& cookie_value,
                                          long long* auth_version) const {
  // Keys are 43 base64url characters; anything else cannot be ours.
  if (cookie_value.size() != 43) return std::nullopt;
  Session session;
  session.key_hash = sha256_hex(cookie_value);
  long long user_id = 0;
  soci::indicator user_ind = soci::i_null;
  std::string data;
  long long now = unix_now();
  long long version = 0;
  sql << "SELECT s.user_id, s.csrf_token, s.data, s.expires_at, v.version FROM sessions s, aa_data_versions v "
         "WHERE s.key_hash = :hash AND s.expires_at > :now AND v.name = 'auth'",
      soci::use(session.key_hash), soci::use(now), soci::into(user_id, user_ind), soci::into(session.csrf_token),
      soci::into(data), soci::into(session.expires_at), soci::into(version);
  if (!sql.got_data()) return std::nullopt;
  if (auth_version) *auth_version = version;
  if (user_ind == soci::i_ok) session.user_id = user_id;
  try {
    auto parsed = boost::json::parse(data);
    if (parsed.is_object()) session.data = std::move(parsed.as_object());
  } catch (const std::exception&) {
    // A damaged data column loses the one-time messages, not the login.
  }
  session.stored = true;
  return session;
}

Session SessionStore::create() const {
  Session session;
  session.new_cookie_value = random_token(32);
  session.key_hash = sha256_hex(session.new_cookie_value);
  session.csrf_token = random_token(32);
  session.expires_at = unix_now() + std::min(age_seconds_, anonymous_age_seconds());
  session.dirty = true;
  return session;
}

bool SessionStore::save(soci::session& sql, Session& session) const {
  if (session.destroyed) return false;
  if (!session.dirty && session.stored) return true;
  if (!session.stored && !session.user_id && session.data.empty() && !session.keep) return false;
  auto data = boost::json::serialize(session.data);
  soci::indicator user_ind = session.user_id ? soci::i_ok : soci::i_null;
  long long user_id = session.user_id.value_or(0);
  if (session.stored) {
    sql << "UPDATE sessions SET user_id = :user, csrf_token = :csrf, data = :data, expires_at = :expires "
           "WHERE key_hash = :hash",
        soci::use(user_id, user_ind), soci::use(session.csrf_token), soci::use(data), soci::use(session.expires_at),
        soci::use(session.key_hash);
  } else {
    long long now = unix_now();
    sql << "INSERT INTO sessions (key_hash, user_id, csrf_token, data, created, expires_at) "
           "VALUES (:hash, :user, :csrf, :data, :now, :expires)",
        soci::use(session.key_hash), soci::use(user_id, user_ind), soci::use(session.csrf_token), soci::use(data),
        soci::use(now), soci::use(session.expires_at);
    session.stored = true;
  }
  session.dirty = false;
  return true;
}

void SessionStore::rotate(soci::session& sql, Session& session) const {
  if (session.stored) sql << "DELETE FROM sessions WHERE key_hash = :hash", soci::use(session.key_hash);
  session.new_cookie_value = random_token(32);
  session.key_hash = sha256_hex(session.new_cookie_value);
  session.csrf_token = random_token(32);
  session.expires_at = unix_now() + age_seconds_;
  session.stored = false;
  session.dirty = true;
}

void SessionStore::destroy(soci::session& sql, Session& session) const {
  if (session.stored) sql << "DELETE FROM sessions WHERE key_hash = :hash", soci::use(session.key_hash);
  session.stored = false;
  session.destroyed = true;
  session.user_id.reset();
}

int SessionStore::purge_expired(soci::session& sql) const {
  long long now = unix_now();
  int count = 0;
  sql << "SELECT COUNT(*) FROM sessions WHERE expires_at <= :now", soci::use(now), soci::into(count);
  sql << "DELETE FROM sessions WHERE expires_at <= :now", soci::use(now);
  return count;
}

}  // namespace aa::core
