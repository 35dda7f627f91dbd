#include "service.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "aa/context.hpp"
#include "discord_users.hpp"
#include "sync.hpp"
#include "tasks.hpp"

namespace discord_service {
namespace {

// Marks a message id for scripts/i18n/extract; the notifier translates it.
constexpr const char* gettext_noop(const char* msgid) { return msgid; }

}  // namespace

aa::ServiceUrls DiscordService::service_urls() const {
  return {.activate = "discord:activate", .deactivate = "discord:deactivate", .reset_password = {}, .set_password = {}};
}

bool DiscordService::service_active_for_user(const aa::User& user) {
  soci::session sql(shared_->context.database().pool());
  return find_discord_user(sql, user.id).has_value();
}

void DiscordService::update_groups(const aa::User& user) { enqueue_user_task(kUpdateGroupsTask, user); }

// Enqueues the bulk task, which spreads the users over one task each.
void DiscordService::update_all_groups() {
  auto enqueued = shared_->context.tasks().enqueue("discord.update_all_groups");
  if (!enqueued.ok()) throw std::runtime_error("enqueueing discord.update_all_groups failed: " + enqueued.error);
}

void DiscordService::sync_nickname(const aa::User& user) {
  if (shared_->settings.sync_names) enqueue_user_task(kUpdateNicknameTask, user);
}

void DiscordService::enqueue_user_task(const char* task, const aa::User& user) {
  auto enqueued = shared_->context.tasks().enqueue(task, boost::json::object{{"user_id", user.id}});
  if (!enqueued.ok()) {
    throw std::runtime_error("enqueueing " + std::string(task) + " for user " + std::to_string(user.id) +
                             " failed: " + enqueued.error);
  }
}

// Upstream's notice, sent when the host removes an account for lack of access.
bool DiscordService::delete_user(const aa::User& user, bool notify_user) {
  soci::session sql(shared_->context.database().pool());
  if (!find_discord_user(sql, user.id)) return false;
  // Two tasks may remove the same user at once; only the one whose delete
  // removed the link reports it and notifies.
  bool unlinked_here = false;
  if (!remove_discord_user(*shared_, *shared_->client, sql, user.id, &unlinked_here)) {
    // The link is kept, and the exception makes the host's task retry, so
    // an outage of Discord does not leave the member in the guild.
    throw std::runtime_error("removing the Discord member of user " + std::to_string(user.id) +
                             " failed; see the error logged before");
  }
  if (!unlinked_here) return false;
  if (notify_user) {
    // The host stores both in the user's language.
    shared_->context.notifier().notify_user(user.id, gettext_noop("Discord Account Disabled"),
                                            gettext_noop("Your Discord account was disabled automatically by Auth. "
                                                         "If you think this was a mistake, please contact an admin."),
                                            aa::NotificationLevel::warning);
  }
  return true;
}

// The standard row with the stored Discord username (the Discord id until
// discord.update_username has read it), plus upstream's "Link Discord
// Server" button for superusers.
std::string DiscordService::render_service_ctrl(aa::Request& request) {
  auto linked = find_discord_user(request.db(), request.user()->id);
  std::string account_name;
  if (linked) account_name = linked->username.empty() ? std::to_string(linked->uid) : linked->username;
  auto row = aa::standard_service_row(request, *this, account_name);
  if (request.user()->is_superuser) {
    row.buttons.push_back({.url = request.url_for("discord:add_bot"),
                           .label = request.translate("Link Discord Server"),
                           .icon = "fab fa-discord",
                           .button_class = "btn-success",
                           .post = false});
  }
  return aa::render_service_row(request, *this, row);
}

}  // namespace discord_service
