#include "groups/group_requests.hpp"

#include <algorithm>

#include "db/database.hpp"

namespace aa::core::groups {
namespace {

// Columns in the order read_request expects.
constexpr const char* kRequestSelect =
    "SELECT r.id, r.user_id, u.username, COALESCE(c.character_name, ''), COALESCE(c.corporation_name, ''), "
    "r.group_id, g.name, r.leave_request, r.created FROM groupmanagement_requests r "
    "JOIN users u ON u.id = r.user_id JOIN auth_groups g ON g.id = r.group_id "
    "LEFT JOIN user_profiles p ON p.user_id = r.user_id "
    "LEFT JOIN eve_characters c ON c.character_id = p.main_character_id ";

GroupRequest read_request(const soci::row& row) {
  GroupRequest request;
  request.id = row_int(row, 0);
  request.user_id = row_int(row, 1);
  request.username = row_string(row, 2);
  request.main_character_name = row_string(row, 3);
  request.corporation_name = row_string(row, 4);
  request.group_id = row_int(row, 5);
  request.group_name = row_string(row, 6);
  request.leave = row_int(row, 7) != 0;
  request.created = row_int(row, 8);
  return request;
}

// "r.group_id IN (1, 2, 3)" for a scope of some groups; the ids are
// integers, so writing them into the statement is safe.
std::string scope_condition(const RequestScope& scope) {
  if (scope.all) return "1 = 1";
  if (scope.group_ids.empty()) return "1 = 0";
  std::string list;
  for (long long id : scope.group_ids) list += (list.empty() ? "" : ", ") + std::to_string(id);
  return "r.group_id IN (" + list + ")";
}

std::optional<GroupRequest> first_request(soci::rowset<soci::row>& rows) {
  for (const auto& row : rows) return read_request(row);
  return std::nullopt;
}

template <typename Enum>
Enum from_code(const std::string& code, std::initializer_list<Enum> values) {
  for (auto value : values) {
    if (to_string(value) == code) return value;
  }
  return *values.begin();
}

// Escapes LIKE's wildcards with '!', which both databases accept as the
// ESCAPE character inside a plain string literal.
std::string like_pattern(const std::string& search) {
  std::string pattern = "%";
  for (char c : search) {
    if (c == '%' || c == '_' || c == '!') pattern.push_back('!');
    pattern.push_back(c);
  }
  return pattern + "%";
}

std::string username_of(soci::session& sql, long long user_id) {
  std::string name;
  sql << "SELECT username FROM users WHERE id = :id", soci::use(user_id), soci::into(name);
  return name;
}

}  // namespace

std::optional<GroupRequest> load_request(soci::session& sql, long long request_id) {
  soci::rowset<soci::row> rows = (sql.prepare << std::string(kRequestSelect) + "WHERE r.id = :id", soci::use(request_id));
  return first_request(rows);
}

std::optional<GroupRequest> find_request(soci::session& sql, long long user_id, long long group_id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string(kRequestSelect) + "WHERE r.user_id = :user AND r.group_id = :group",
       soci::use(user_id), soci::use(group_id));
  return first_request(rows);
}

std::vector<GroupRequest> requests_of_user(soci::session& sql, long long user_id) {
  std::vector<GroupRequest> requests;
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string(kRequestSelect) + "WHERE r.user_id = :user ORDER BY r.group_id", soci::use(user_id));
  for (const auto& row : rows) requests.push_back(read_request(row));
  return requests;
}

std::vector<GroupRequest> list_requests(soci::session& sql, const RequestScope& scope) {
  std::vector<GroupRequest> requests;
  soci::rowset<soci::row> rows =
      sql.prepare << std::string(kRequestSelect) + "WHERE " + scope_condition(scope) + " ORDER BY r.created, r.id";
  for (const auto& row : rows) requests.push_back(read_request(row));
  return requests;
}

int count_requests(soci::session& sql, const RequestScope& scope) {
  if (!scope.all && scope.group_ids.empty()) return 0;
  int count = 0;
  sql << "SELECT COUNT(*) FROM groupmanagement_requests r WHERE " + scope_condition(scope), soci::into(count);
  return count;
}

long long insert_request(soci::session& sql, long long user_id, long long group_id, bool leave) {
  int leave_flag = leave ? 1 : 0;
  long long now = unix_now();
  sql << "INSERT INTO groupmanagement_requests (user_id, group_id, leave_request, created) "
         "VALUES (:user, :group, :leave, :now)",
      soci::use(user_id), soci::use(group_id), soci::use(leave_flag), soci::use(now);
  long long id = 0;
  sql << "SELECT id FROM groupmanagement_requests WHERE user_id = :user AND group_id = :group", soci::use(user_id),
      soci::use(group_id), soci::into(id);
  return id;
}

bool delete_request(soci::session& sql, long long request_id) {
  soci::statement remove =
      (sql.prepare << "DELETE FROM groupmanagement_requests WHERE id = :id", soci::use(request_id));
  remove.execute(true);
  return remove.get_affected_rows() > 0;
}

std::string_view to_string(LogType type) {
  switch (type) {
    case LogType::join: return "join";
    case LogType::leave: return "leave";
    case LogType::removed: return "removed";
  }
  return "join";
}

std::string_view to_string(LogAction action) {
  switch (action) {
    case LogAction::accept: return "accept";
    case LogAction::reject: return "reject";
    case LogAction::removed: return "removed";
  }
  return "accept";
}

void add_audit_entry(soci::session& sql, AuditEntry& entry) {
  entry.created = unix_now();
  entry.requestor_name = username_of(sql, entry.requestor_id);
  entry.actor_name = username_of(sql, entry.actor_id);
  entry.main_character_name.clear();
  sql << "SELECT c.character_name FROM user_profiles p JOIN eve_characters c ON c.character_id = p.main_character_id "
         "WHERE p.user_id = :id",
      soci::use(entry.requestor_id), soci::into(entry.main_character_name);

  std::string type(to_string(entry.type));
  std::string action(to_string(entry.action));
  soci::indicator request_indicator = entry.request_id ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO groupmanagement_request_log (group_id, request_id, request_type, action, requestor_id, "
         "requestor_name, main_character_name, actor_id, actor_name, created) VALUES (:group, :request, :type, "
         ":action, :requestor, :requestor_name, :main, :actor, :actor_name, :created)",
      soci::use(entry.group_id), soci::use(entry.request_id, request_indicator), soci::use(type), soci::use(action),
      soci::use(entry.requestor_id), soci::use(entry.requestor_name), soci::use(entry.main_character_name),
      soci::use(entry.actor_id), soci::use(entry.actor_name), soci::use(entry.created);
}

AuditPage search_audit_log(soci::session& sql, const AuditQuery& query) {
  AuditPage page;
  std::string where = "WHERE l.group_id = :group";
  std::string pattern = like_pattern(query.search);
  bool searching = !query.search.empty();
  if (searching) {
    where += " AND (LOWER(l.requestor_name) LIKE LOWER(:p1) ESCAPE '!' OR LOWER(l.main_character_name) LIKE "
             "LOWER(:p2) ESCAPE '!' OR LOWER(l.actor_name) LIKE LOWER(:p3) ESCAPE '!' OR l.request_type LIKE "
             "LOWER(:p4) ESCAPE '!' OR l.action LIKE LOWER(:p5) ESCAPE '!')";
  }

  soci::statement count_statement = (sql.prepare << "SELECT COUNT(*) FROM groupmanagement_request_log l " + where);
  count_statement.exchange(soci::use(query.group_id));
  if (searching) {
    for (int i = 0; i < 5; ++i) count_statement.exchange(soci::use(pattern));
  }
  count_statement.exchange(soci::into(page.total));
  count_statement.define_and_bind();
  count_statement.execute(true);

  int page_size = std::clamp(query.page_size, 1, 500);
  long long offset = static_cast<long long>(std::max(query.page, 1) - 1) * page_size;
  // The limits are integers computed here, so they go into the text.
  std::string select =
      "SELECT l.id, l.group_id, g.name, COALESCE(l.request_id, 0), l.request_type, l.action, "
      "COALESCE(l.requestor_id, 0), l.requestor_name, l.main_character_name, COALESCE(l.actor_id, 0), l.actor_name, "
      "l.created FROM groupmanagement_request_log l JOIN auth_groups g ON g.id = l.group_id " +
      where + " ORDER BY l.created DESC, l.id DESC LIMIT " + std::to_string(page_size) + " OFFSET " +
      std::to_string(offset);
  soci::row row;
  soci::statement rows = (sql.prepare << select);
  rows.exchange(soci::use(query.group_id));
  if (searching) {
    for (int i = 0; i < 5; ++i) rows.exchange(soci::use(pattern));
  }
  rows.exchange(soci::into(row));
  rows.define_and_bind();
  rows.execute();
  while (rows.fetch()) {
    AuditEntry entry;
    entry.id = row_int(row, 0);
    entry.group_id = row_int(row, 1);
    entry.group_name = row_string(row, 2);
    entry.request_id = row_int(row, 3);
    entry.type = from_code(row_string(row, 4), {LogType::join, LogType::leave, LogType::removed});
    entry.action = from_code(row_string(row, 5), {LogAction::accept, LogAction::reject, LogAction::removed});
    entry.requestor_id = row_int(row, 6);
    entry.requestor_name = row_string(row, 7);
    entry.main_character_name = row_string(row, 8);
    entry.actor_id = row_int(row, 9);
    entry.actor_name = row_string(row, 10);
    entry.created = row_int(row, 11);
    page.entries.push_back(std::move(entry));
  }
  return page;
}

}  // namespace aa::core::groups
