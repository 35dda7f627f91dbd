#include "auth/activation_mail_limit.hpp"

#include <algorithm>
#include <cctype>

#include "aa/settings.hpp"

namespace aa::core {
namespace {

constexpr long long kDaySeconds = 86400;

// Addresses differ in case only in what users type, so "Pilot@Example.org"
// and "pilot@example.org" share one limit.
std::string fold(const std::string& email) {
  std::string folded = email;
  std::transform(folded.begin(), folded.end(), folded.begin(), [](unsigned char c) { return std::tolower(c); });
  return folded;
}

bool is_mysql(soci::session& sql) { return sql.get_backend_name() == "mysql"; }

// Takes the address's row lock until the transaction ends. On MariaDB the
// upsert locks the row exclusively even when it exists already, so a second
// request for the address waits here until the first commits. On SQLite
// BEGIN IMMEDIATE already serialises every write transaction.
void lock_address(soci::session& sql, const std::string& folded) {
  if (is_mysql(sql)) {
    sql << "INSERT INTO activation_mail_addresses (email) VALUES (:email) ON DUPLICATE KEY UPDATE email = email",
        soci::use(folded);
  } else {
    sql << "INSERT INTO activation_mail_addresses (email) VALUES (:email) ON CONFLICT (email) DO NOTHING",
        soci::use(folded);
  }
}

void create_activation_mail_sends(aa::Schema& s) {
  s.exec("CREATE TABLE activation_mail_sends (" + s.auto_id() +
         ", email VARCHAR(254) NOT NULL"
         ", sent_at BIGINT NOT NULL)" +
         s.table_options());
  s.exec("CREATE INDEX ix_activation_mail_sends_email ON activation_mail_sends (email, sent_at)");
}

void drop_activation_mail_sends(aa::Schema& s) { s.exec("DROP TABLE activation_mail_sends"); }

// One row per address that was ever given a mail, locked while a request
// checks and records a mail to it. The index on sent_at serves the pruning.
void create_activation_mail_addresses(aa::Schema& s) {
  s.exec("CREATE TABLE activation_mail_addresses (email VARCHAR(254) NOT NULL PRIMARY KEY)" + s.table_options());
  s.exec("CREATE INDEX ix_activation_mail_sends_sent_at ON activation_mail_sends (sent_at)");
}

void drop_activation_mail_addresses(aa::Schema& s) {
  if (s.dialect() == aa::Dialect::mysql) {
    s.exec("DROP INDEX ix_activation_mail_sends_sent_at ON activation_mail_sends");
  } else {
    s.exec("DROP INDEX ix_activation_mail_sends_sent_at");
  }
  s.exec("DROP TABLE activation_mail_addresses");
}

}  // namespace

ActivationMailLimit ActivationMailLimit::from_config(const aa::Settings& settings) {
  ActivationMailLimit limit;
  limit.interval_seconds = settings.get_int("registration.activation_mail_interval_minutes").value_or(5) * 60;
  limit.per_day = static_cast<int>(settings.get_int("registration.activation_mails_per_day").value_or(5));
  return limit;
}

std::optional<long long> reserve_activation_mail(soci::session& sql, const ActivationMailLimit& limit,
                                                 const std::string& email, long long now) {
  auto folded = fold(email);
  lock_address(sql, folded);

  // A plain read: MariaDB takes the transaction's snapshot at its first
  // plain read, which is this one, after the lock above was granted. So it
  // reads every mail that an earlier holder of the lock committed.
  long long day_ago = now - kDaySeconds;
  int sent = 0;
  long long first = 0;
  long long last = 0;
  soci::indicator first_indicator = soci::i_null;
  soci::indicator last_indicator = soci::i_null;
  sql << "SELECT COUNT(*), MIN(sent_at), MAX(sent_at) FROM activation_mail_sends "
         "WHERE email = :email AND sent_at > :day_ago",
      soci::use(folded), soci::use(day_ago), soci::into(sent), soci::into(first, first_indicator),
      soci::into(last, last_indicator);

  // The later of the two limits decides when the next mail may go out.
  long long wait = 0;
  if (last_indicator == soci::i_ok) wait = std::max(wait, last + limit.interval_seconds - now);
  if (sent >= limit.per_day && first_indicator == soci::i_ok) wait = std::max(wait, first + kDaySeconds - now);
  if (wait > 0) return wait;

  sql << "INSERT INTO activation_mail_sends (email, sent_at) VALUES (:email, :now)", soci::use(folded),
      soci::use(now);
  return std::nullopt;
}

void prune_activation_mail_sends(soci::session& sql, long long now) {
  long long day_ago = now - kDaySeconds;
  sql << "DELETE FROM activation_mail_sends WHERE sent_at <= :day_ago", soci::use(day_ago);
}

aa::Migration activation_mail_sends_migration(int number) {
  return {number, "activation mail sends", create_activation_mail_sends, drop_activation_mail_sends};
}

aa::Migration activation_mail_addresses_migration(int number) {
  return {number, "activation mail addresses", create_activation_mail_addresses, drop_activation_mail_addresses};
}

}  // namespace aa::core
