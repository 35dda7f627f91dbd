// Pending join and leave requests, and the request audit log. A request is
// deleted when a manager processes it; the audit log keeps what happened:
// when (Unix seconds, shown in EVE time), who asked (username and main
// character at that time), which group, the type (join, leave, or removed
// by a manager) and the action (accept, reject, removed), and who acted.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

namespace aa::core::groups {

struct GroupRequest {
  long long id = 0;
  long long user_id = 0;
  std::string username;
  std::string main_character_name;  ///< Empty when the user has no main character.
  std::string corporation_name;
  long long group_id = 0;
  std::string group_name;
  bool leave = false;  ///< A leave request; otherwise a join request.
  long long created = 0;
};

/// Which requests a list shows: every request, or those of some groups.
struct RequestScope {
  bool all = false;
  std::vector<long long> group_ids;  ///< Used when `all` is false.
};

std::optional<GroupRequest> load_request(soci::session& sql, long long request_id);
/// The user's pending request for the group, join or leave.
std::optional<GroupRequest> find_request(soci::session& sql, long long user_id, long long group_id);
/// The user's pending requests, by group id.
std::vector<GroupRequest> requests_of_user(soci::session& sql, long long user_id);
/// Pending requests in `scope`, oldest first.
std::vector<GroupRequest> list_requests(soci::session& sql, const RequestScope& scope);
int count_requests(soci::session& sql, const RequestScope& scope);

/// Inserts a pending request and returns its id. A second request of the
/// same user for the same group fails with the database's unique-key error.
long long insert_request(soci::session& sql, long long user_id, long long group_id, bool leave);
/// Deletes the request; returns false when it was already gone, which is how
/// a manager learns that another one processed it first.
bool delete_request(soci::session& sql, long long request_id);

enum class LogType { join, leave, removed };
enum class LogAction { accept, reject, removed };

std::string_view to_string(LogType type);
std::string_view to_string(LogAction action);

struct AuditEntry {
  long long id = 0;
  long long group_id = 0;
  std::string group_name;
  /// The processed request; 0 for a removal or a join or leave that needed
  /// no approval.
  long long request_id = 0;
  LogType type = LogType::join;
  LogAction action = LogAction::accept;
  long long requestor_id = 0;  ///< 0 once the user is deleted.
  std::string requestor_name;
  std::string main_character_name;
  long long actor_id = 0;  ///< 0 once the user is deleted.
  std::string actor_name;
  long long created = 0;
};

/// Appends an entry; `created` is set to now. The requestor's and actor's
/// usernames and the requestor's main character are read from the
/// database. The unique request_id makes a second entry for one request
/// fail with the database's unique-key error.
void add_audit_entry(soci::session& sql, AuditEntry& entry);

/// One page of a group's audit log, newest first.
struct AuditQuery {
  long long group_id = 0;
  /// Case-insensitive (ASCII) substring of the requestor, main character,
  /// actor, type or action; empty for every entry.
  std::string search;
  int page = 1;  ///< From 1.
  int page_size = 50;
};

struct AuditPage {
  std::vector<AuditEntry> entries;
  long long total = 0;  ///< Entries that match, on every page.
};

AuditPage search_audit_log(soci::session& sql, const AuditQuery& query);

}  // namespace aa::core::groups
