#include "auth/email_activation.hpp"

#include <algorithm>
#include <cctype>

#include "auth/accounts.hpp"
#include "auth/crypto.hpp"
#include "db/database.hpp"

namespace aa::core {
namespace {

constexpr const char* kColumns = "SELECT id, user_id, email, key_hash, expires_at, used_at FROM email_activations ";

PendingActivation read_activation(const soci::row& row) {
  PendingActivation activation;
  activation.id = row_int(row, 0);
  activation.user_id = row_int(row, 1);
  activation.email = row_string(row, 2);
  activation.link_issued = row.get_indicator(3) != soci::i_null && !row_string(row, 3).empty();
  activation.expires_at = row_int(row, 4);
  if (row.get_indicator(5) != soci::i_null) activation.used_at = row_int(row, 5);
  return activation;
}

std::optional<PendingActivation> first(soci::rowset<soci::row>& rows) {
  for (const auto& row : rows) return read_activation(row);
  return std::nullopt;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Keys are random_token(32): 43 base64url characters. Anything else is
// unknown without a database lookup.
bool plausible_key(const std::string& key) {
  if (key.empty() || key.size() > 64) return false;
  return std::all_of(key.begin(), key.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
}

std::optional<PendingActivation> activation_by_key(soci::session& sql, const std::string& key) {
  if (!plausible_key(key)) return std::nullopt;
  auto hash = sha256_hex(key);
  soci::rowset<soci::row> rows = (sql.prepare << std::string(kColumns) + "WHERE key_hash = :hash", soci::use(hash));
  return first(rows);
}

}  // namespace

void begin_registration(soci::session& sql, long long user_id) {
  long long now = unix_now();
  sql << "UPDATE users SET is_active = 0 WHERE id = :id", soci::use(user_id);
  sql << "DELETE FROM email_activations WHERE user_id = :id", soci::use(user_id);
  sql << "INSERT INTO email_activations (user_id, email, created, expires_at) VALUES (:user, '', :now, 0)",
      soci::use(user_id), soci::use(now);
  bump_auth_version(sql);
}

std::optional<PendingActivation> activation_of_user(soci::session& sql, long long user_id) {
  soci::rowset<soci::row> rows = (sql.prepare << std::string(kColumns) + "WHERE user_id = :id", soci::use(user_id));
  return first(rows);
}

std::optional<PendingActivation> activation_by_id(soci::session& sql, long long activation_id) {
  soci::rowset<soci::row> rows = (sql.prepare << std::string(kColumns) + "WHERE id = :id", soci::use(activation_id));
  return first(rows);
}

bool registration_pending(soci::session& sql, long long user_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM email_activations a JOIN users u ON u.id = a.user_id "
         "WHERE a.user_id = :id AND a.used_at IS NULL AND u.is_active = 0",
      soci::use(user_id), soci::into(count);
  return count > 0;
}

long long set_registration_email(soci::session& sql, long long user_id, const std::string& email) {
  sql << "UPDATE users SET email = :email WHERE id = :id", soci::use(email), soci::use(user_id);
  sql << "UPDATE email_activations SET email = :email, key_hash = NULL, expires_at = 0 WHERE user_id = :id",
      soci::use(email), soci::use(user_id);
  long long id = 0;
  sql << "SELECT id FROM email_activations WHERE user_id = :id", soci::use(user_id), soci::into(id);
  return id;
}

bool email_in_use(soci::session& sql, const std::string& email, long long except_user_id) {
  // LOWER() on both sides: MariaDB's binary collation compares case-sensitively.
  auto wanted = lower(email);
  int count = 0;
  sql << "SELECT COUNT(*) FROM users WHERE LOWER(email) = :email AND id <> :id AND is_active = 1", soci::use(wanted),
      soci::use(except_user_id), soci::into(count);
  return count > 0;
}

std::optional<std::string> issue_activation_key(soci::session& sql, long long activation_id,
                                                 long long lifetime_seconds) {
  auto activation = activation_by_id(sql, activation_id);
  if (!activation || activation->used_at) return std::nullopt;
  auto key = random_token(32);
  auto hash = sha256_hex(key);
  long long expires_at = unix_now() + lifetime_seconds;
  sql << "UPDATE email_activations SET key_hash = :hash, expires_at = :expires WHERE id = :id", soci::use(hash),
      soci::use(expires_at), soci::use(activation_id);
  return key;
}

ActivationResult check_activation_key(soci::session& sql, const std::string& key) {
  auto activation = activation_by_key(sql, key);
  if (!activation) return {ActivationOutcome::unknown, 0};
  if (activation->used_at) return {ActivationOutcome::already_used, activation->user_id};
  if (activation->expires_at < unix_now()) return {ActivationOutcome::expired, activation->user_id};
  return {ActivationOutcome::activated, activation->user_id};
}

ActivationResult use_activation_key(soci::session& sql, const std::string& key) {
  auto checked = check_activation_key(sql, key);
  if (checked.outcome != ActivationOutcome::activated) return checked;

  // Of two concurrent uses, only the one whose update changes the row goes on.
  long long now = unix_now();
  auto hash = sha256_hex(key);
  soci::statement use = (sql.prepare << "UPDATE email_activations SET used_at = :now "
                                        "WHERE key_hash = :hash AND used_at IS NULL",
                         soci::use(now), soci::use(hash));
  use.execute(true);
  if (use.get_affected_rows() != 1) return {ActivationOutcome::already_used, checked.user_id};
  sql << "UPDATE users SET is_active = 1 WHERE id = :id", soci::use(checked.user_id);
  bump_auth_version(sql);
  return checked;
}

}  // namespace aa::core
