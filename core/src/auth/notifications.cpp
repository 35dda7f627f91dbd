#include "auth/notifications.hpp"

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
                         const std::string& message) {
  std::string level_text(to_string(level));
  auto short_title = cut_utf8(title, 254);
  long long now = unix_now();
  sql << "INSERT INTO notifications (user_id, level, title, message, created, viewed) "
         "VALUES (:user, :level, :title, :message, :now, 0)",
      soci::use(user_id), soci::use(level_text), soci::use(short_title), soci::use(message), soci::use(now);
  // The unread count is part of the cached user snapshot.
  bump_auth_version(sql);
}

int unread_notification_count(soci::session& sql, long long user_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM notifications WHERE user_id = :user AND viewed = 0", soci::use(user_id),
      soci::into(count);
  return count;
}

}  // namespace aa::core
