#include "db/database.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <filesystem>

#include "config/config.hpp"

namespace aa::core {
namespace {

// The mysql backend of SOCI 4.0 reads values in single quotes, with a
// backslash escaping a quote or backslash inside them.
std::string quote_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

}  // namespace

DatabaseOptions database_options(const Config& config) {
  DatabaseOptions options;
  options.pool_size = static_cast<int>(config.int_or("database.pool_size", 8));
  if (config.string_or("database.backend", "sqlite3") == "mysql") {
    options.dialect = Dialect::mysql;
    std::string connection = "db=" + quote_value(config.string_or("database.name", ""));
    connection += " user=" + quote_value(config.string_or("database.user", ""));
    if (auto password = config.string_or("database.password", ""); !password.empty()) {
      connection += " password=" + quote_value(password);
    }
    if (auto socket = config.string_or("database.unix_socket", ""); !socket.empty()) {
      connection += " unix_socket=" + quote_value(socket);
    } else {
      connection += " host=" + quote_value(config.string_or("database.host", "127.0.0.1"));
      connection += " port=" + std::to_string(config.int_or("database.port", 3306));
    }
    connection += " charset=utf8mb4";
    options.connection = connection;
  } else {
    options.dialect = Dialect::sqlite;
    options.connection = config.path("database.name").string();
  }
  return options;
}

SociDatabase::SociDatabase(const DatabaseOptions& options) : dialect_(options.dialect) {
  pool_ = std::make_unique<soci::connection_pool>(static_cast<std::size_t>(options.pool_size));
  for (int i = 0; i < options.pool_size; ++i) {
    soci::session& session = pool_->at(static_cast<std::size_t>(i));
    if (dialect_ == Dialect::mysql) {
      session.open(soci::mysql, options.connection);
      // Every stored time is an integer, so the session zone only matters
      // for NOW() in ad-hoc queries; pin it to UTC anyway.
      session << "SET time_zone = '+00:00'";
    } else {
      auto parent = std::filesystem::path(options.connection).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
      // The sqlite3 backend of SOCI 4.0 accepts double quotes around a value,
      // not single quotes and no escapes.
      if (options.connection.find('"') != std::string::npos) {
        throw std::runtime_error("the SQLite path " + options.connection + " contains a double quote; rename it");
      }
      session.open(soci::sqlite3, "db=\"" + options.connection + "\" timeout=10");
      session << "PRAGMA foreign_keys = ON";
      session << "PRAGMA journal_mode = WAL";
      session << "PRAGMA synchronous = NORMAL";
    }
  }
  if (dialect_ == Dialect::mysql) {
    auto db_start = options.connection.find("db='");
    auto db_end = options.connection.find('\'', db_start + 4);
    description_ = "MariaDB (" + options.connection.substr(db_start + 4, db_end - db_start - 4) + ")";
  } else {
    description_ = "SQLite (" + options.connection + ")";
  }
}

long long row_int(const soci::row& row, std::size_t column) {
  const auto& props = row.get_properties(column);
  switch (props.get_data_type()) {
    case soci::dt_integer: return row.get<int>(column);
    case soci::dt_long_long: return row.get<long long>(column);
    case soci::dt_unsigned_long_long: return static_cast<long long>(row.get<unsigned long long>(column));
    case soci::dt_double: return static_cast<long long>(row.get<double>(column));
    case soci::dt_string: return std::stoll(row.get<std::string>(column));
    default: throw std::bad_cast();
  }
}

long long row_int_or(const soci::row& row, std::size_t column, long long fallback) {
  if (row.get_indicator(column) == soci::i_null) return fallback;
  return row_int(row, column);
}

std::string row_string(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return {};
  return row.get<std::string>(column);
}

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string error_text(const std::exception& error) {
  if (const auto* database_error = dynamic_cast<const soci::soci_error*>(&error)) {
    return "database error: " + database_error->get_error_message();
  }
  return error.what();
}

}  // namespace aa::core
