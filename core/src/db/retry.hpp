// Retrying write transactions that lost a race. Two requests writing the
// same rows at once can end in a deadlock or a duplicate key on MariaDB, or
// a busy database on SQLite; running the losing transaction again sees the
// winner's rows and normally succeeds.
#pragma once

#include <soci/soci.h>

#include <exception>
#include <string_view>

#include "aa/db.hpp"
#include "app/logging.hpp"

namespace aa::core {

/// True for errors a retry can resolve: MariaDB deadlock (1213), lock wait
/// timeout (1205) and duplicate key (1062); SQLite busy or locked.
bool is_retryable(const soci::soci_error& error);

/// True when a write failed because a row it refers to is gone: MariaDB's
/// foreign key error 1452, or SQLite's foreign key constraint. A request
/// that deleted that row committed first, and a retry finds it gone.
bool is_missing_parent(const soci::soci_error& error);

/// Runs `body` in an aa::WriteTransaction and commits it; on a retryable
/// error it rolls back and runs `body` again, at most `attempts` times in
/// all. `body` must not have effects outside the database, since a failed
/// attempt's are not undone. `what` names the work in the log line.
template <typename Body>
auto with_write_retries(soci::session& sql, std::string_view what, Body&& body, int attempts = 3) {
  for (int attempt = 1;; ++attempt) {
    try {
      aa::WriteTransaction transaction(sql);
      auto result = body();
      transaction.commit();
      return result;
    } catch (const soci::soci_error& error) {
      if (attempt >= attempts || !is_retryable(error)) throw;
      core_log().warn("{} lost a race with another request (attempt {} of {}): {}; retrying", what, attempt,
                      attempts, error.what());
    }
  }
}

}  // namespace aa::core
