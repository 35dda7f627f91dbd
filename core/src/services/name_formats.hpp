// Stored name formats: which format a service uses for users of a state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

namespace aa::core {

struct NameFormatRecord {
  long long id = 0;  ///< 0 for a record not stored yet
  std::string service_name;
  std::string format;
  std::vector<long long> state_ids;
};

/// The format an admin set for `service_name` and the state, if any.
std::optional<std::string> stored_name_format(soci::session& sql, std::string_view service_name, long long state_id);

/// Per-field problems of a record, keyed "service_name", "format" or
/// "state_ids"; empty when it can be saved. `known_services` are the names
/// of the loaded services.
std::vector<std::pair<std::string, std::string>> name_format_problems(soci::session& sql,
                                                                      const NameFormatRecord& record,
                                                                      const std::vector<std::string>& known_services);

/// Inserts or updates the record and its states inside the caller's write
/// transaction; sets record.id for a new one. Throws std::invalid_argument
/// with the first problem when name_format_problems finds any.
void save_name_format(soci::session& sql, NameFormatRecord& record, const std::vector<std::string>& known_services);

}  // namespace aa::core
