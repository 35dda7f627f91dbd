// Notifications stored for users: the table behind Notifier::notify_user,
// the notifications pages and the unread count in the top bar.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/context.hpp"

namespace aa::core {

/// Upstream's NOTIFICATIONS_MAX_PER_USER default.
constexpr int kDefaultNotificationsPerUser = 50;

std::string_view to_string(NotificationLevel level);

struct StoredNotification {
  long long id = 0;
  long long user_id = 0;
  std::string level;  ///< info, success, warning or danger.
  std::string title;
  std::string message;
  long long created = 0;  ///< Unix seconds.
  bool viewed = false;
};

/// Inserts one notification and marks cached user data stale (the unread
/// count is cached). `title` and `message` are plain text, cut to the
/// column sizes (254 bytes for the title). Afterwards the user keeps at
/// most `max_per_user` notifications: the oldest beyond that are deleted.
void insert_notification(soci::session& sql, long long user_id, NotificationLevel level, const std::string& title,
                         const std::string& message, int max_per_user = kDefaultNotificationsPerUser);
int unread_notification_count(soci::session& sql, long long user_id);

/// The user's read (`viewed` true) or unread notifications, newest first.
std::vector<StoredNotification> notifications_of_user(soci::session& sql, long long user_id, bool viewed);
std::optional<StoredNotification> find_notification(soci::session& sql, long long notification_id);
void mark_notification_viewed(soci::session& sql, long long notification_id);
/// Each returns how many rows changed.
int mark_all_notifications_read(soci::session& sql, long long user_id);
int delete_read_notifications(soci::session& sql, long long user_id);
int delete_notification(soci::session& sql, long long notification_id);

/// Active superusers, who are told about errors in background work.
std::vector<long long> active_superuser_ids(soci::session& sql);

}  // namespace aa::core
