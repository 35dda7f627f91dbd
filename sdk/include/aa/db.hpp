// Database access for plugins: a SOCI connection pool on SQLite or MariaDB,
// and the schema helpers migrations use so one migration runs on both.
#pragma once

#include <functional>
#include <string>

#include "aa/export.hpp"

namespace soci {
class connection_pool;
class session;
}  // namespace soci

namespace aa {

enum class Dialect { sqlite, mysql };

/// The instance database. `soci::session sql(database.pool());` leases a
/// connection and returns it when `sql` goes out of scope.
class AA_SDK_API Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  virtual soci::connection_pool& pool() = 0;
};

/// A transaction for work that writes: rolled back unless commit() is called.
/// On SQLite it takes the write lock at the start (BEGIN IMMEDIATE). So two
/// requests that both read and then write wait for each other, and neither
/// fails with "database is locked". Use it instead of soci::transaction for
/// any transaction that writes.
class AA_SDK_API WriteTransaction {
 public:
  explicit WriteTransaction(soci::session& session);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  void commit();

 private:
  soci::session& session_;
  bool open_ = true;
};

/// What a migration step receives: the session, inside the migration's
/// transaction on SQLite (MariaDB commits DDL implicitly), and helpers for
/// the few column definitions that differ between the two databases.
///
/// Portable rules every migration follows: times are BIGINT Unix seconds
/// (UTC); booleans are SMALLINT 0/1; text keys are VARCHAR(n) with n <= 768;
/// strings are compared case-sensitively on both databases.
class AA_SDK_API Schema {
 public:
  Schema(soci::session& session, Dialect dialect) : session_(session), dialect_(dialect) {}

  soci::session& session() { return session_; }
  Dialect dialect() const { return dialect_; }

  /// Runs one statement.
  void exec(const std::string& sql);
  /// "id INTEGER PRIMARY KEY AUTOINCREMENT" or "id BIGINT AUTO_INCREMENT PRIMARY KEY".
  std::string auto_id(const std::string& column = "id") const;
  /// The clause after ")" of CREATE TABLE: utf8mb4 with a binary collation on
  /// MariaDB, nothing on SQLite.
  std::string table_options() const;
  /// A column type for long text: TEXT on SQLite, LONGTEXT on MariaDB.
  std::string long_text() const;

 private:
  soci::session& session_;
  Dialect dialect_;
};

/// One numbered, reversible schema change of a plugin ("core" is a plugin
/// name too). Numbers start at 1 and have no gaps.
struct Migration {
  int number = 0;
  std::string name;
  std::function<void(Schema&)> up;
  std::function<void(Schema&)> down;
};

}  // namespace aa
