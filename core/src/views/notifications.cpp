// The notifications pages (upstream's notifications app): unread and read
// lists, one notification, mark all read, delete all read, delete one, and
// the JSON unread count the top bar polls. A user reaches only their own
// notifications; anything else is answered 403 and changes nothing.
#include <ctime>

#include <fmt/chrono.h>

#include "aa/db.hpp"
#include "aa/template.hpp"
#include "aa/text.hpp"
#include "app/app.hpp"
#include "auth/notifications.hpp"
#include "http/request.hpp"
#include "views/views.hpp"
#include "web/layout.hpp"

namespace aa::core::views {
namespace {

std::optional<long long> id_param(Request& request, std::string_view name) {
  return aa::text::parse_id(request.path_param(name));
}

// Times are shown in UTC, EVE time, as everywhere else in the product.
std::string format_timestamp(long long unix_seconds) {
  return fmt::format("{:%Y-%m-%d %H:%M}", fmt::gmtime(static_cast<std::time_t>(unix_seconds)));
}

// Bootstrap's alert classes; anything unknown in the table shows as info.
std::string_view level_class(const std::string& level) {
  if (level == "success" || level == "warning" || level == "danger") return level;
  return "info";
}

void add_rows(Request& request, TemplateData& data, const char* section,
              const std::vector<StoredNotification>& notifications) {
  for (const auto& notification : notifications) {
    auto& row = data.add_row(section);
    auto id = std::to_string(notification.id);
    row.set("ID", id);
    row.set("TITLE", notification.title);
    row.set("LEVEL", std::string(level_class(notification.level)));
    row.set("TIMESTAMP", format_timestamp(notification.created));
    row.set("VIEW_URL", request.url_for("notifications:view", {{"notif_id", id}}));
    row.set("REMOVE_URL", request.url_for("notifications:remove", {{"notif_id", id}}));
  }
}

// The notification with the id of the path, when it belongs to the user.
std::variant<StoredNotification, Response> own_notification(Request& request) {
  auto id = id_param(request, "notif_id");
  if (!id) return Response::error(404);
  auto notification = find_notification(request.db(), *id);
  if (!notification) return Response::error(404);
  if (notification->user_id != request.user()->id) {
    core_log().warn("user {} tried to reach notification {} of user {}; refused", request.user()->id, *id,
                    notification->user_id);
    return Response::error(403);
  }
  return *notification;
}

}  // namespace

Response notification_list(Request& request) {
  auto& sql = request.db();
  long long user_id = request.user()->id;
  auto unread = notifications_of_user(sql, user_id, false);
  auto read = notifications_of_user(sql, user_id, true);

  TemplateData data;
  data.set("TITLE", request.translate("Notifications"));
  data.set("UNREAD_COUNT", static_cast<long long>(unread.size()));
  data.set("READ_COUNT", static_cast<long long>(read.size()));
  data.set("MARK_ALL_READ_URL", request.url_for("notifications:mark_all_read"));
  data.set("DELETE_ALL_READ_URL", request.url_for("notifications:delete_all_read"));
  data.show(unread.empty() ? "NO_UNREAD" : "HAS_UNREAD");
  data.show(read.empty() ? "NO_READ" : "HAS_READ");
  add_rows(request, data, "UNREAD", unread);
  add_rows(request, data, "READ", read);
  return request.render("allianceauth/notifications/list.html", data);
}

Response notification_view(Request& request) {
  auto found = own_notification(request);
  if (auto* denied = std::get_if<Response>(&found)) return *denied;
  const auto& notification = std::get<StoredNotification>(found);

  if (!notification.viewed) {
    aa::WriteTransaction transaction(request.db());
    mark_notification_viewed(request.db(), notification.id);
    transaction.commit();
    // The top bar of this very page shows the lower unread count.
    static_cast<CoreRequest&>(request).reload_snapshot();
  }

  TemplateData data;
  data.set("TITLE", notification.title);
  data.set("HEADING", notification.title);
  data.set("MESSAGE", notification.message);
  data.set("LEVEL", std::string(level_class(notification.level)));
  data.set("TIMESTAMP", format_timestamp(notification.created));
  data.set("LIST_URL", request.url_for("notifications:list"));
  data.set("REMOVE_URL", request.url_for("notifications:remove", {{"notif_id", std::to_string(notification.id)}}));
  return request.render("allianceauth/notifications/view.html", data);
}

Response remove_notification(Request& request) {
  auto found = own_notification(request);
  if (auto* denied = std::get_if<Response>(&found)) return *denied;
  const auto& notification = std::get<StoredNotification>(found);

  aa::WriteTransaction transaction(request.db());
  delete_notification(request.db(), notification.id);
  transaction.commit();
  request.add_message(MessageLevel::success, request.translate("Deleted notification."));
  return Response::redirect(request.url_for("notifications:list"));
}

Response mark_all_read(Request& request) {
  aa::WriteTransaction transaction(request.db());
  mark_all_notifications_read(request.db(), request.user()->id);
  transaction.commit();
  request.add_message(MessageLevel::success, request.translate("Marked all notifications as read."));
  return Response::redirect(request.url_for("notifications:list"));
}

Response delete_all_read(Request& request) {
  aa::WriteTransaction transaction(request.db());
  delete_read_notifications(request.db(), request.user()->id);
  transaction.commit();
  request.add_message(MessageLevel::success, request.translate("Deleted all read notifications."));
  return Response::redirect(request.url_for("notifications:list"));
}

Response user_notifications_count(Request& request) {
  // Upstream answers for any user id; a count is only the owner's business.
  auto id = id_param(request, "user_pk");
  if (!id || *id != request.user()->id) return Response::json("{\"error\": \"forbidden\"}", 403);
  auto count = unread_notification_count(request.db(), *id);
  return Response::json("{\"unread_count\": " + std::to_string(count) + "}")
      .header("Cache-Control", "no-store");
}

}  // namespace aa::core::views
