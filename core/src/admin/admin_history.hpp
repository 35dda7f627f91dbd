// The change history of admin-edited objects: who changed what and when,
// in admin_log_entries. Entries are written in the transaction of the change
// they describe, so a rolled-back change leaves no entry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>
#include <soci/soci.h>

namespace aa::core {

/// Django's action flags, plus bulk actions.
enum class AdminLogAction { addition = 1, change = 2, deletion = 3, action = 4 };

/// One changed field: values as display text (choice labels, "1"/"0" for
/// booleans), cut to a readable length.
struct FieldChange {
  std::string field;
  std::string label;  ///< Message id of the field label.
  bool is_boolean = false;
  bool is_list = false;
  std::vector<std::string> before;
  std::vector<std::string> after;
};

struct AdminLogEntry {
  long long id = 0;
  long long action_time = 0;
  std::optional<long long> user_id;
  std::string username;
  std::string app_label;
  std::string model_name;
  long long object_id = 0;
  std::string object_repr;
  AdminLogAction action = AdminLogAction::change;
  /// JSON: {"fields": [FieldChange...]} or {"action": "<message id>"}.
  std::string change_message;
};

/// The JSON change message for `changes`.
std::string change_message_for(const std::vector<FieldChange>& changes);
/// The JSON change message for a bulk action with label `action_label`.
std::string action_message_for(const std::string& action_label);
/// Reads a change message back; nothing for text that is not one.
std::vector<FieldChange> parse_field_changes(const std::string& change_message);
std::string parse_action_label(const std::string& change_message);

/// Inserts `entry` (its id and time are set here).
void record_log_entry(soci::session& sql, AdminLogEntry entry);
/// The newest `limit` entries of one object, newest first.
std::vector<AdminLogEntry> object_history(soci::session& sql, const std::string& app_label,
                                          const std::string& model_name, long long object_id, int limit = 500);
/// The newest `limit` entries written by `user_id`, newest first.
std::vector<AdminLogEntry> recent_entries_of_user(soci::session& sql, long long user_id, int limit = 10);

}  // namespace aa::core
