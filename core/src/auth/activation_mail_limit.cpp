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

void create_activation_mail_sends(aa::Schema& s) {
  s.exec("CREATE TABLE activation_mail_sends (" + s.auto_id() +
         ", email VARCHAR(254) NOT NULL"
         ", sent_at BIGINT NOT NULL)" +
         s.table_options());
  s.exec("CREATE INDEX ix_activation_mail_sends_email ON activation_mail_sends (email, sent_at)");
}

void drop_activation_mail_sends(aa::Schema& s) { s.exec("DROP TABLE activation_mail_sends"); }

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
  long long day_ago = now - kDaySeconds;
  sql << "DELETE FROM activation_mail_sends WHERE sent_at <= :day_ago", soci::use(day_ago);

  int sent = 0;
  long long first = 0;
  long long last = 0;
  soci::indicator first_indicator = soci::i_null;
  soci::indicator last_indicator = soci::i_null;
  sql << "SELECT COUNT(*), MIN(sent_at), MAX(sent_at) FROM activation_mail_sends WHERE email = :email",
      soci::use(folded), soci::into(sent), soci::into(first, first_indicator), soci::into(last, last_indicator);

  // The later of the two limits decides when the next mail may go out.
  long long wait = 0;
  if (last_indicator == soci::i_ok) wait = std::max(wait, last + limit.interval_seconds - now);
  if (sent >= limit.per_day && first_indicator == soci::i_ok) wait = std::max(wait, first + kDaySeconds - now);
  if (wait > 0) return wait;

  // NOTE: on MariaDB two requests for one address that arrive at the same
  // moment can both pass the count above, so the limit may be exceeded by
  // the number of such requests; SQLite serialises them.
  sql << "INSERT INTO activation_mail_sends (email, sent_at) VALUES (:email, :now)", soci::use(folded),
      soci::use(now);
  return std::nullopt;
}

aa::Migration activation_mail_sends_migration(int number) {
  return {number, "activation mail sends", create_activation_mail_sends, drop_activation_mail_sends};
}

}  // namespace aa::core
