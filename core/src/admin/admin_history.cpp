#include "admin/admin_history.hpp"

#include <boost/json.hpp>

#include "db/database.hpp"

namespace aa::core {
namespace {

// Limits that keep one entry readable and small: longer values are cut and
// long lists shortened, with "…" marking the cut.
constexpr std::size_t kMaxValueBytes = 200;
constexpr std::size_t kMaxListValues = 100;
constexpr std::size_t kMaxReprBytes = 200;

std::string cut_utf8(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "\xE2\x80\xA6";
}

boost::json::array to_array(const std::vector<std::string>& values) {
  boost::json::array array;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i == kMaxListValues) {
      array.emplace_back("\xE2\x80\xA6");
      break;
    }
    array.emplace_back(cut_utf8(values[i], kMaxValueBytes));
  }
  return array;
}

std::vector<std::string> from_array(const boost::json::value* value) {
  std::vector<std::string> values;
  if (!value || !value->is_array()) return values;
  for (const auto& item : value->as_array()) {
    if (item.is_string()) values.emplace_back(item.as_string());
  }
  return values;
}

std::string string_of(const boost::json::object& object, const char* key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

std::vector<AdminLogEntry> read_entries(soci::rowset<soci::row>& rows) {
  std::vector<AdminLogEntry> entries;
  for (const auto& row : rows) {
    AdminLogEntry entry;
    entry.id = row_int(row, 0);
    entry.action_time = row_int(row, 1);
    if (row.get_indicator(2) != soci::i_null) entry.user_id = row_int(row, 2);
    entry.username = row_string(row, 3);
    entry.app_label = row_string(row, 4);
    entry.model_name = row_string(row, 5);
    entry.object_id = row_int(row, 6);
    entry.object_repr = row_string(row, 7);
    entry.action = static_cast<AdminLogAction>(row_int(row, 8));
    entry.change_message = row_string(row, 9);
    entries.push_back(std::move(entry));
  }
  return entries;
}

constexpr const char* kColumns =
    "SELECT id, action_time, user_id, username, app_label, model_name, object_id, object_repr, action_flag, "
    "change_message FROM admin_log_entries ";

}  // namespace

std::string change_message_for(const std::vector<FieldChange>& changes) {
  boost::json::array fields;
  for (const auto& change : changes) {
    fields.emplace_back(boost::json::object{{"field", change.field},
                                            {"label", change.label},
                                            {"boolean", change.is_boolean},
                                            {"list", change.is_list},
                                            {"before", to_array(change.before)},
                                            {"after", to_array(change.after)}});
  }
  return boost::json::serialize(boost::json::object{{"fields", std::move(fields)}});
}

std::string action_message_for(const std::string& action_label) {
  return boost::json::serialize(boost::json::object{{"action", action_label}});
}

std::vector<FieldChange> parse_field_changes(const std::string& change_message) {
  std::vector<FieldChange> changes;
  boost::system::error_code error;
  auto parsed = boost::json::parse(change_message, error);
  if (error || !parsed.is_object()) return changes;
  const auto* fields = parsed.as_object().if_contains("fields");
  if (!fields || !fields->is_array()) return changes;
  for (const auto& item : fields->as_array()) {
    if (!item.is_object()) continue;
    const auto& object = item.as_object();
    FieldChange change;
    change.field = string_of(object, "field");
    change.label = string_of(object, "label");
    const auto* boolean = object.if_contains("boolean");
    change.is_boolean = boolean && boolean->is_bool() && boolean->as_bool();
    const auto* list = object.if_contains("list");
    change.is_list = list && list->is_bool() && list->as_bool();
    change.before = from_array(object.if_contains("before"));
    change.after = from_array(object.if_contains("after"));
    changes.push_back(std::move(change));
  }
  return changes;
}

std::string parse_action_label(const std::string& change_message) {
  boost::system::error_code error;
  auto parsed = boost::json::parse(change_message, error);
  if (error || !parsed.is_object()) return {};
  return string_of(parsed.as_object(), "action");
}

void record_log_entry(soci::session& sql, AdminLogEntry entry) {
  entry.action_time = unix_now();
  soci::indicator user_indicator = entry.user_id ? soci::i_ok : soci::i_null;
  long long user_id = entry.user_id.value_or(0);
  auto repr = cut_utf8(entry.object_repr, kMaxReprBytes - 3);
  int flag = static_cast<int>(entry.action);
  sql << "INSERT INTO admin_log_entries (action_time, user_id, username, app_label, model_name, object_id, "
         "object_repr, action_flag, change_message) VALUES (:time, :user, :username, :app, :model, :object, "
         ":repr, :flag, :message)",
      soci::use(entry.action_time), soci::use(user_id, user_indicator), soci::use(entry.username),
      soci::use(entry.app_label), soci::use(entry.model_name), soci::use(entry.object_id), soci::use(repr),
      soci::use(flag), soci::use(entry.change_message);
}

std::vector<AdminLogEntry> object_history(soci::session& sql, const std::string& app_label,
                                          const std::string& model_name, long long object_id, int limit) {
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string(kColumns) +
                          "WHERE app_label = :app AND model_name = :model AND object_id = :object "
                          "ORDER BY action_time DESC, id DESC LIMIT " +
                          std::to_string(limit),
       soci::use(app_label), soci::use(model_name), soci::use(object_id));
  return read_entries(rows);
}

std::vector<AdminLogEntry> recent_entries_of_user(soci::session& sql, long long user_id, int limit) {
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string(kColumns) + "WHERE user_id = :user ORDER BY action_time DESC, id DESC LIMIT " +
                          std::to_string(limit),
       soci::use(user_id));
  return read_entries(rows);
}

}  // namespace aa::core
