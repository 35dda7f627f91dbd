// The limit on activation mails per address, so that neither a user nor an
// attacker who requests link after link makes the daemon send unbounded
// mail to one address. Every mail the registration form queues is recorded in
// activation_mail_sends with the address folded to lower case. The records are
// kept for one day and shared by every daemon on the database.
#pragma once

#include <optional>
#include <string>

#include <soci/soci.h>

#include "aa/db.hpp"

namespace aa {
class Settings;
}

namespace aa::core {

struct ActivationMailLimit {
  long long interval_seconds = 300;  ///< Minimum time between two mails to one address.
  int per_day = 5;                   ///< Mails to one address within any 24 hours.

  /// registration.activation_mail_interval_minutes and
  /// registration.activation_mails_per_day.
  static ActivationMailLimit from_config(const aa::Settings& settings);
};

/// Records a mail to `email` at `now` (Unix seconds) when the limit allows
/// it. Returns nothing when the mail may go out, else the seconds until the
/// next one to this address is allowed. Call it first in the write
/// transaction that queues the mail, before any other read: it locks the
/// address until the transaction ends, so requests for one address check
/// and record one after another on both databases. On MariaDB two requests
/// that hold other rows as well can deadlock; retry the transaction then.
std::optional<long long> reserve_activation_mail(soci::session& sql, const ActivationMailLimit& limit,
                                                 const std::string& email, long long now);

/// Deletes the records of mails sent more than a day before `now`, which no
/// limit counts any more. Run it outside the reserving transaction, so that
/// its scan does not hold locks while the mail is queued.
void prune_activation_mail_sends(soci::session& sql, long long now);

/// The core migration that adds activation_mail_sends.
aa::Migration activation_mail_sends_migration(int number);
/// The core migration that adds activation_mail_addresses, whose rows
/// reserve_activation_mail locks, and an index on the send time.
aa::Migration activation_mail_addresses_migration(int number);

}  // namespace aa::core
