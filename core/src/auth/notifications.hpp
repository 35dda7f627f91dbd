// Notifications stored for users: the table behind Notifier::notify_user.
#pragma once

#include <string>

#include <soci/soci.h>

#include "aa/context.hpp"

namespace aa::core {

std::string_view to_string(NotificationLevel level);

/// Inserts one notification and marks cached user data stale (the unread
/// count is cached). `title` and `message` are plain text, cut to
/// the column sizes (254 characters for the title).
void insert_notification(soci::session& sql, long long user_id, NotificationLevel level, const std::string& title,
                         const std::string& message);
int unread_notification_count(soci::session& sql, long long user_id);

}  // namespace aa::core
