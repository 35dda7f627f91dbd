// The notification admin (notifications.notification): a user's
// notifications with level, title, message and whether they were viewed.
#include <soci/soci.h>

#include "admin/models/admin_support.hpp"
#include "admin/models/core_admins.hpp"
#include "auth/accounts.hpp"
#include "db/database.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

// The column sizes of the notifications table.
constexpr std::size_t kMaxTitle = 254;
constexpr std::size_t kMaxMessage = 10000;

const std::vector<AdminChoice> kLevels{{"info", gettext_noop("info")},
                                       {"success", gettext_noop("success")},
                                       {"warning", gettext_noop("warning")},
                                       {"danger", gettext_noop("danger")}};

std::optional<AdminObject> load_notification(Request& request, long long id) {
  auto& sql = request.db();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT n.level, n.title, n.message, n.created, n.viewed, u.username FROM notifications n "
                      "JOIN users u ON u.id = n.user_id WHERE n.id = :id",
       soci::use(id));
  for (const auto& row : rows) {
    AdminObject object;
    object.id = id;
    object.display = row_string(row, 1);
    object.values.set("user", row_string(row, 5));
    object.values.set("level", row_string(row, 0));
    object.values.set("title", row_string(row, 1));
    object.values.set("message", row_string(row, 2));
    object.values.set_flag("viewed", row_int(row, 4) != 0);
    object.details.emplace_back(gettext_noop("Timestamp"), text::format_eve_time(row_int(row, 3)));
    return object;
  }
  return std::nullopt;
}

AdminWriteResult save_notification(Request& request, std::optional<long long> id, const AdminValues& values) {
  auto& sql = request.db();
  auto level = values.get("level");
  auto title = values.get("title");
  auto message = values.get("message");
  int viewed = values.flag("viewed") ? 1 : 0;
  sql << "UPDATE notifications SET level = :level, title = :title, message = :message, viewed = :viewed "
         "WHERE id = :id",
      soci::use(level), soci::use(title), soci::use(message), soci::use(viewed), soci::use(*id);
  // The unread count is part of every process's cached user data.
  bump_auth_version(sql);
  AdminWriteResult result;
  result.id = *id;
  return result;
}

AdminWriteResult remove_notification(Request& request, const AdminObject& object) {
  request.db() << "DELETE FROM notifications WHERE id = :id", soci::use(object.id);
  bump_auth_version(request.db());
  return {};
}

AdminActionResult mark_viewed(Request& request, const std::vector<long long>& ids, bool viewed) {
  auto& sql = request.db();
  int flag = viewed ? 1 : 0;
  {
    aa::WriteTransaction transaction(sql);
    for (long long id : ids) {
      sql << "UPDATE notifications SET viewed = :viewed WHERE id = :id", soci::use(flag), soci::use(id);
    }
    bump_auth_version(sql);
    transaction.commit();
  }
  auto text = viewed ? request.translate("Marked {count} notifications as viewed.")
                     : request.translate("Marked {count} notifications as unviewed.");
  return {MessageLevel::success, text::fill(text, {{"count", std::to_string(ids.size())}})};
}

}  // namespace

void register_notification_admin(aa::Registry& registry, App&) {
  declare_model_permissions(registry, "notifications", "notification", "notification");

  AdminHook hook;
  hook.app_label = "notifications";
  hook.app_verbose_name = gettext_noop("Notifications");
  hook.model_name = "notification";
  hook.verbose_name = gettext_noop("notification");
  hook.verbose_name_plural = gettext_noop("notifications");
  hook.columns = {
      {"title", gettext_noop("Title")},
      {"user", gettext_noop("User")},
      {"level", gettext_noop("Level")},
      {"created", gettext_noop("Timestamp"), AdminColumnKind::time},
      {"viewed", gettext_noop("Viewed"), AdminColumnKind::boolean},
  };
  hook.filters = {
      {"level", gettext_noop("level"), kLevels},
      {"viewed", gettext_noop("viewed"), {{"1", gettext_noop("Yes")}, {"0", gettext_noop("No")}}},
  };
  hook.searchable = true;
  hook.default_order = "-created";
  hook.fields = {
      {.name = "user", .label = gettext_noop("User"), .type = AdminFieldType::readonly},
      {.name = "level", .label = gettext_noop("Level"), .type = AdminFieldType::choice, .required = true,
       .choices = kLevels},
      {.name = "title", .label = gettext_noop("Title"), .required = true, .max_length = kMaxTitle},
      {.name = "message", .label = gettext_noop("Message"), .type = AdminFieldType::textarea,
       .max_length = kMaxMessage},
      {.name = "viewed", .label = gettext_noop("Viewed"), .type = AdminFieldType::boolean},
  };
  hook.list = admin_sql_list({
      .from = "notifications n JOIN users u ON u.id = n.user_id",
      .id_expression = "n.id",
      .columns = {{"title", "n.title"},
                  {"user", "u.username"},
                  {"level", "n.level"},
                  {"created", "n.created"},
                  {"viewed", "n.viewed"}},
      .search_expressions = {"n.title", "u.username"},
      .filters = {{"level", "n.level"}, {"viewed", "n.viewed"}},
      .integer_filters = {"viewed"},
  });
  hook.load = load_notification;
  hook.save = save_notification;
  hook.allow_add = false;
  hook.remove = remove_notification;
  hook.actions = {
      {.name = "mark_viewed",
       .label = gettext_noop("Mark selected notifications as viewed"),
       .run = [](Request& request, const std::vector<long long>& ids) { return mark_viewed(request, ids, true); }},
      {.name = "mark_unviewed",
       .label = gettext_noop("Mark selected notifications as unviewed"),
       .run = [](Request& request, const std::vector<long long>& ids) { return mark_viewed(request, ids, false); }},
  };
  registry.add_admin(std::move(hook));
}

}  // namespace aa::core
