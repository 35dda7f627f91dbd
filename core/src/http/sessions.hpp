// Server-side sessions. The cookie contains a random key; the database stores
// its SHA-256, the user, the CSRF token and a small JSON object (one-time
// messages, language). The key is replaced at login and the session removed
// at logout.
#pragma once

#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <soci/soci.h>

namespace aa::core {

struct Session {
  std::string key_hash;
  std::optional<long long> user_id;
  std::string csrf_token;
  boost::json::object data;
  long long expires_at = 0;

  /// Set when the browser must get a new cookie value (new or rotated session).
  std::string new_cookie_value;
  bool stored = false;     ///< A row exists in the database.
  bool dirty = false;      ///< Data changed since it was loaded.
  bool destroyed = false;  ///< Logged out: the cookie must be cleared.
  /// Store this session even without a user or data (an SSO flow binds its
  /// one-time state to it).
  bool keep = false;
};

class SessionStore {
 public:
  explicit SessionStore(long long age_seconds);

  /// The live session for a cookie value, or nothing when it is unknown or
  /// expired. The same query reads the auth data version, stored in
  /// `auth_version` when given, so a request needs one query for both.
  std::optional<Session> load(soci::session& sql, const std::string& cookie_value,
                              long long* auth_version = nullptr) const;
  /// A new anonymous session, valid for anonymous_age_seconds(). save()
  /// stores it only once it has a user or data, or `keep` is set, so merely
  /// viewing a page writes nothing.
  Session create() const;
  /// Writes a new or changed session. Returns false when there was nothing
  /// to store (an empty anonymous session): the browser then gets no cookie.
  bool save(soci::session& sql, Session& session) const;
  /// Gives the session a new key and CSRF token, keeping its data; the old
  /// key stops working. Used at login against session fixation.
  void rotate(soci::session& sql, Session& session) const;
  /// Deletes the session; used at logout.
  void destroy(soci::session& sql, Session& session) const;
  /// Deletes expired sessions; returns how many.
  int purge_expired(soci::session& sql) const;

  long long age_seconds() const { return age_seconds_; }
  /// Lifetime of sessions without a user: long enough for an SSO login.
  static constexpr long long anonymous_age_seconds() { return 3600; }

 private:
  long long age_seconds_;
};

}  // namespace aa::core
