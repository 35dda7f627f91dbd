#include "service.hpp"

#include <soci/soci.h>

#include <stdexcept>

#include "aa/template.hpp"
#include "discord_users.hpp"
#include "sync.hpp"

namespace discord_service {

aa::ServiceUrls DiscordService::service_urls() const {
  return {.activate = "discord:activate", .deactivate = "discord:deactivate", .reset_password = {}, .set_password = {}};
}

bool DiscordService::service_active_for_user(const aa::User& user) {
  soci::session sql(shared_->context.database().pool());
  return find_discord_user(sql, user.id).has_value();
}

void DiscordService::update_groups(const aa::User& user) {
  soci::session sql(shared_->context.database().pool());
  discord_service::update_groups(*shared_, sql, user.id);
}

// Enqueues the bulk task, which spreads the users over one task each.
void DiscordService::update_all_groups() {
  auto enqueued = shared_->context.tasks().enqueue("discord.update_all_groups");
  if (!enqueued.ok()) throw std::runtime_error("enqueueing discord.update_all_groups failed: " + enqueued.error);
}

void DiscordService::sync_nickname(const aa::User& user) {
  soci::session sql(shared_->context.database().pool());
  update_nickname(*shared_, sql, user.id);
}

// NOTE: notify_user is not honoured yet, because there is no message for it.
bool DiscordService::delete_user(const aa::User& user, bool notify_user) {
  (void)notify_user;
  soci::session sql(shared_->context.database().pool());
  if (!find_discord_user(sql, user.id)) return false;
  return remove_discord_user(*shared_, sql, user.id);
}

std::string DiscordService::render_service_ctrl(aa::Request& request) {
  aa::TemplateData data;
  data.set("TITLE", title());
  data.set("SERVICE_URL", service_url());
  data.set("CSRF_TOKEN", request.csrf_token());
  auto linked = find_discord_user(request.db(), request.user()->id);
  if (linked) {
    auto& row = data.add_row("LINKED");
    row.set("USERNAME", linked->username);
    row.set("DEACTIVATE_URL", request.url_for("discord:deactivate"));
  } else {
    data.add_row("NOT_LINKED").set("ACTIVATE_URL", request.url_for("discord:activate"));
  }
  if (request.user()->is_superuser) data.add_row("ADD_BOT").set("ADD_BOT_URL", request.url_for("discord:add_bot"));
  return request.render_fragment("discord/service_ctrl.html", data);
}

}  // namespace discord_service
