#include "db/retry.hpp"

#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <string_view>

namespace aa::core {

bool is_retryable(const soci::soci_error& error) {
  if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error)) {
    return mysql->err_num_ == 1213 || mysql->err_num_ == 1205 || mysql->err_num_ == 1062;
  }
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    int primary = sqlite->result() & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
  }
  return false;
}

bool is_missing_parent(const soci::soci_error& error) {
  if (const auto* mysql = dynamic_cast<const soci::mysql_soci_error*>(&error)) return mysql->err_num_ == 1452;
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    // SOCI may pass the primary code only, so the message distinguishes a
    // foreign key from the other constraints.
    return (sqlite->result() & 0xff) == SQLITE_CONSTRAINT &&
           std::string_view(error.what()).find("FOREIGN KEY constraint failed") != std::string_view::npos;
  }
  return false;
}

}  // namespace aa::core
