#include "services/name_formats.hpp"

#include <algorithm>
#include <stdexcept>

#include "aa/name_format.hpp"
#include "aa/text.hpp"

namespace aa::core {
namespace {

constexpr std::size_t kMaxFormatLength = 255;

}  // namespace

std::optional<std::string> stored_name_format(soci::session& sql, std::string_view service_name, long long state_id) {
  std::string format;
  soci::indicator found = soci::i_null;
  std::string service(service_name);
  sql << "SELECT f.format FROM service_name_formats f JOIN service_name_format_states s ON s.name_format_id = f.id "
         "WHERE s.service_name = :service AND s.state_id = :state",
      soci::use(service), soci::use(state_id), soci::into(format, found);
  if (!sql.got_data() || found != soci::i_ok) return std::nullopt;
  return format;
}

std::vector<std::pair<std::string, std::string>> name_format_problems(soci::session& sql,
                                                                      const NameFormatRecord& record,
                                                                      const std::vector<std::string>& known_services) {
  std::vector<std::pair<std::string, std::string>> problems;
  if (std::find(known_services.begin(), known_services.end(), record.service_name) == known_services.end()) {
    std::string known;
    for (const auto& name : known_services) known += (known.empty() ? "" : ", ") + name;
    problems.emplace_back("service_name", "'" + record.service_name + "' is not a loaded service; the services are " +
                                              (known.empty() ? std::string("none") : known));
  }
  // The column is VARCHAR(255), which MariaDB counts in characters of
  // utf8mb4 and SQLite does not limit, so 255 code points fit on both.
  auto format_length = aa::text::utf8_length(record.format);
  if (record.format.empty()) {
    problems.emplace_back("format", "the format is missing; for example {character_name}");
  } else if (!format_length) {
    problems.emplace_back("format", "the format is not valid UTF-8; type it again as text");
  } else if (*format_length > kMaxFormatLength) {
    problems.emplace_back("format", "the format has " + std::to_string(*format_length) + " characters; at most " +
                                        std::to_string(kMaxFormatLength) + " are allowed");
  } else if (auto problem = name_format_problem(record.format)) {
    problems.emplace_back("format", *problem);
  }
  if (record.state_ids.empty()) problems.emplace_back("state_ids", "choose at least one state");

  // One format per service and state, as upstream recommends.
  for (long long state_id : record.state_ids) {
    std::string state_name;
    soci::indicator state_found = soci::i_null;
    sql << "SELECT name FROM states WHERE id = :id", soci::use(state_id), soci::into(state_name, state_found);
    if (!sql.got_data()) {
      problems.emplace_back("state_ids", "state " + std::to_string(state_id) + " does not exist");
      continue;
    }
    long long other_id = 0;
    sql << "SELECT name_format_id FROM service_name_format_states WHERE service_name = :service AND state_id = :state",
        soci::use(record.service_name), soci::use(state_id), soci::into(other_id);
    if (sql.got_data() && other_id != record.id) {
      problems.emplace_back("state_ids", "state " + state_name + " already has a " + record.service_name +
                                             " name format (" + std::to_string(other_id) + "); edit that one instead");
    }
  }
  return problems;
}

void save_name_format(soci::session& sql, NameFormatRecord& record, const std::vector<std::string>& known_services) {
  auto problems = name_format_problems(sql, record, known_services);
  if (!problems.empty()) throw std::invalid_argument(problems.front().first + ": " + problems.front().second);

  if (record.id == 0) {
    sql << "INSERT INTO service_name_formats (service_name, format) VALUES (:service, :format)",
        soci::use(record.service_name), soci::use(record.format);
    if (!sql.get_last_insert_id("service_name_formats", record.id)) {
      throw std::runtime_error("the new name format row has no id");
    }
  } else {
    sql << "UPDATE service_name_formats SET service_name = :service, format = :format WHERE id = :id",
        soci::use(record.service_name), soci::use(record.format), soci::use(record.id);
    sql << "DELETE FROM service_name_format_states WHERE name_format_id = :id", soci::use(record.id);
  }
  for (long long state_id : record.state_ids) {
    sql << "INSERT INTO service_name_format_states (name_format_id, service_name, state_id) "
           "VALUES (:id, :service, :state)",
        soci::use(record.id), soci::use(record.service_name), soci::use(state_id);
  }
}

}  // namespace aa::core
