#include <soci/soci.h>

#include "aa/db.hpp"

namespace aa {

void Schema::exec(const std::string& sql) { session_ << sql; }

std::string Schema::auto_id(const std::string& column) const {
  if (dialect_ == Dialect::mysql) return column + " BIGINT AUTO_INCREMENT PRIMARY KEY";
  return column + " INTEGER PRIMARY KEY AUTOINCREMENT";
}

std::string Schema::table_options() const {
  if (dialect_ == Dialect::mysql) return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  return "";
}

std::string Schema::long_text() const { return dialect_ == Dialect::mysql ? "LONGTEXT" : "TEXT"; }

}  // namespace aa
