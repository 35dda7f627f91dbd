#include "auth/notifications.hpp"

#include <algorithm>

#include "auth/accounts.hpp"
#include "db/database.hpp"

namespace aa::core {
namespace {

// Cuts at a character boundary so a UTF-8 sequence is never split.
std::string cut_utf8(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// Deletes the user's oldest notifications beyond `keep`. The id breaks ties
// between notifications created in the same second.
void trim_notifications(soci::session& sql, long long user_id, int keep) {
  keep = std::max(keep, 1);
  std::vector<long long> ids;
  // A locking read on MariaDB reads the latest committed rows, including a
  // notice committed after this transaction's snapshot was taken.
  std::string lock_clause = sql.get_backend_name() == "mysql" ? " FOR UPDATE" : "";
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id FROM notifications WHERE user_id = :user ORDER BY created DESC, id DESC" + lock_clause,
       soci::use(user_id));
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  for (std::size_t i = static_cast<std::size_t>(keep); i < ids.size(); ++i) {
    sql << "DELETE FROM notifications WHERE id = :id", soci::use(ids[i]);
  }
}

StoredNotification read_notification(const soci::row& row) {
  StoredNotification notification;
  notification.id = row_int(row, 0);
  notification.user_id = row_int(row, 1);
  notification.level = row_string(row, 2);
  notification.title = row_string(row, 3);
  notification.message = row_string(row, 4);
  notification.created = row_int(row, 5);
  notification.viewed = row_int(row, 6) != 0;
  return notification;
}

constexpr const char* kColumns = "SELECT id, user_id, level, title, message, created, viewed FROM notifications ";

}  // namespace

std::string_view to_string(NotificationLevel level) {
  switch (level) {
    case NotificationLevel::info: return "info";
    case NotificationLevel::success: return "success";
    case NotificationLevel::warning: return "warning";
    case NotificationLevel::danger: return "danger";
  }
  return "info";
}

void insert_notification(soci::session& sql, long long user_id, NotificationLevel level, const std::string& title,
                         const std::string& message, int max_per_user) {
  // On MariaDB, two notices for one user at once would each trim without the
  // other's row and keep one too many, so they lock the user's row in turn.
  // On SQLite, BEGIN IMMEDIATE already serializes every writer.
  if (sql.get_backend_name() == "mysql") {
    long long locked_id = 0;
    sql << "SELECT id FROM users WHERE id = :id FOR UPDATE", soci::use(user_id), soci::into(locked_id);
  }
  std::string level_text(to_string(level));
  auto short_title = cut_utf8(title, 254);
  long long now = unix_now();
  sql << "INSERT INTO notifications (user_id, level, title, message, created, viewed) "
         "VALUES (:user, :level, :title, :message, :now, 0)",
      soci::use(user_id), soci::use(level_text), soci::use(short_title), soci::use(message), soci::use(now);
  trim_notifications(sql, user_id, max_per_user);
  // The unread count is part of the cached user snapshot.
  bump_auth_version(sql);
}

int unread_notification_count(soci::session& sql, long long user_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM notifications WHERE user_id = :user AND viewed = 0", soci::use(user_id),
      soci::into(count);
  return count;
}

std::vector<StoredNotification> notifications_of_user(soci::session& sql, long long user_id, bool viewed) {
  int viewed_flag = viewed ? 1 : 0;
  std::vector<StoredNotification> notifications;
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string(kColumns) +
                          "WHERE user_id = :user AND viewed = :viewed ORDER BY created DESC, id DESC",
       soci::use(user_id), soci::use(viewed_flag));
  for (const auto& row : rows) notifications.push_back(read_notification(row));
  return notifications;
}

std::optional<StoredNotification> find_notification(soci::session& sql, long long notification_id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string(kColumns) + "WHERE id = :id", soci::use(notification_id));
  for (const auto& row : rows) return read_notification(row);
  return std::nullopt;
}

void mark_notification_viewed(soci::session& sql, long long notification_id) {
  sql << "UPDATE notifications SET viewed = 1 WHERE id = :id", soci::use(notification_id);
  bump_auth_version(sql);
}

int mark_all_notifications_read(soci::session& sql, long long user_id) {
  soci::statement update =
      (sql.prepare << "UPDATE notifications SET viewed = 1 WHERE user_id = :user AND viewed = 0", soci::use(user_id));
  update.execute(true);
  bump_auth_version(sql);
  return static_cast<int>(update.get_affected_rows());
}

int delete_read_notifications(soci::session& sql, long long user_id) {
  soci::statement remove =
      (sql.prepare << "DELETE FROM notifications WHERE user_id = :user AND viewed = 1", soci::use(user_id));
  remove.execute(true);
  return static_cast<int>(remove.get_affected_rows());
}

int delete_notification(soci::session& sql, long long notification_id) {
  soci::statement remove = (sql.prepare << "DELETE FROM notifications WHERE id = :id", soci::use(notification_id));
  remove.execute(true);
  bump_auth_version(sql);
  return static_cast<int>(remove.get_affected_rows());
}

std::vector<long long> active_superuser_ids(soci::session& sql) {
  std::vector<long long> ids;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id FROM users WHERE is_superuser = 1 AND is_active = 1 ORDER BY id");
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return ids;
}

}  // namespace aa::core
