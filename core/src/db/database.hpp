// The instance database: a SOCI connection pool on SQLite or MariaDB.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <soci/soci.h>

#include "aa/db.hpp"

namespace aa::core {

class Config;

struct DatabaseOptions {
  Dialect dialect = Dialect::sqlite;
  /// SQLite: the file path. MariaDB: a SOCI connection string.
  std::string connection;
  int pool_size = 4;
};

/// Builds the options from the `database:` section of the config.
DatabaseOptions database_options(const Config& config);

class SociDatabase final : public aa::Database {
 public:
  /// Opens `pool_size` connections. Throws soci::soci_error with the
  /// backend's message when the database cannot be opened.
  explicit SociDatabase(const DatabaseOptions& options);

  Dialect dialect() const override { return dialect_; }
  soci::connection_pool& pool() override { return *pool_; }
  /// A description safe for logs and the dashboard: backend and database
  /// name, never the password.
  const std::string& description() const { return description_; }

 private:
  Dialect dialect_;
  std::unique_ptr<soci::connection_pool> pool_;
  std::string description_;
};

/// Reads one integer column of one row, whatever integer type the backend
/// reports; SOCI's row.get<T> needs the exact type, which differs between
/// SQLite and MariaDB.
long long row_int(const soci::row& row, std::size_t column);
/// The same for a column that may be NULL; returns `fallback` then.
long long row_int_or(const soci::row& row, std::size_t column, long long fallback);
std::string row_string(const soci::row& row, std::size_t column);

/// Unix time now, in seconds; every stored time uses this unit.
long long unix_now();

/// The message of `error` for logs and callers. SOCI's what() appends the
/// statement and every bound value, which may be sealed tokens, personal
/// data or megabytes of task arguments; for a SOCI error this is the
/// database's own message only.
std::string error_text(const std::exception& error);

}  // namespace aa::core
