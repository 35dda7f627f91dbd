// The link flow, as upstream's discord views: activate sends the user to
// Discord's authorize page, Discord sends them back to the callback with a
// code, and the callback adds them to the guild.
#include <boost/url/url.hpp>

#include <chrono>

#include "aa/template.hpp"
#include "discord_users.hpp"
#include "service.hpp"
#include "sync.hpp"
#include "tasks.hpp"

namespace discord_service {
namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Redirects to where the flow ends: the services page once a plugin
// provides it, the dashboard until then.
aa::Response back_to_services(aa::Request& request) {
  try {
    return aa::Response::redirect(request.url_for("services:services"));
  } catch (const std::out_of_range&) {
    return aa::Response::redirect("/dashboard/");
  }
}

bool linked_to(soci::session& sql, long long user_id, aa::discord::Snowflake uid) {
  auto linked = find_discord_user(sql, user_id);
  return linked && linked->uid == uid;
}

// Called when another callback linked the user or the account between the
// checks and the insert. A member that this callback added and that no link
// row tracks is removed again, because no sync or removal would reach it.
void undo_add(Shared& shared, soci::session& sql, aa::discord::Snowflake uid, aa::discord::AddMemberOutcome added) {
  auto uid_text = std::to_string(uid);
  if (added != aa::discord::AddMemberOutcome::added || find_discord_user_by_uid(sql, uid)) {
    shared.logger.warning("Discord user " + uid_text + " was not linked: a parallel link flow linked the user or "
                          "the account first");
    return;
  }
  auto removed = shared.page_client->remove_guild_member(shared.settings.guild_id, uid);
  if (!removed && !removed.is(aa::discord::ErrorKind::not_found)) {
    shared.logger.error("Discord user " + uid_text + " was added to guild " + std::to_string(shared.settings.guild_id) +
                        " but not linked, because a parallel link flow linked first, and removing them failed: " +
                        removed.error().describe() + "; remove them from the server by hand");
    return;
  }
  shared.logger.warning("Discord user " + uid_text + " was not linked, because a parallel link flow linked first, and "
                        "was removed from the guild again");
}

aa::Response not_configured(Shared& shared, aa::Request& request) {
  shared.logger.error("the Discord service is not configured: set plugins.discord.app_id, app_secret, bot_token, "
                      "callback_url and guild_id");
  request.add_message(aa::MessageLevel::error, request.translate("The Discord service is not configured."));
  return back_to_services(request);
}

}  // namespace

aa::Response activate_view(Shared& shared, aa::Request& request) {
  if (!shared.settings.complete()) return not_configured(shared, request);
  const auto& user = *request.user();

  // A second link would leave the first Discord account in the guild.
  if (find_discord_user(request.db(), user.id)) {
    request.add_message(aa::MessageLevel::warning,
                        request.translate("Your Discord account is already linked. Unlink it first to link another."));
    return back_to_services(request);
  }

  auto state = create_oauth_state(request.db(), user.id, unix_now());
  boost::urls::url authorize(shared.settings.oauth_authorize_url);
  authorize.params().append({"response_type", "code"});
  authorize.params().append({"client_id", shared.settings.app_id});
  authorize.params().append({"redirect_uri", shared.settings.callback_url});
  authorize.params().append({"scope", "identify guilds.join"});
  authorize.params().append({"state", state});
  authorize.params().append({"prompt", "none"});
  return aa::Response::redirect(std::string(authorize.buffer()));
}

aa::Response callback_view(Shared& shared, aa::Request& request) {
  if (!shared.settings.complete()) return not_configured(shared, request);
  const auto& user = *request.user();
  auto user_text = "user " + std::to_string(user.id);

  auto state = request.query("state").value_or("");
  if (!take_oauth_state(request.db(), state, user.id, unix_now())) {
    shared.logger.warning("Discord callback for " + user_text + " with an unknown or expired state; nothing linked");
    request.add_message(aa::MessageLevel::error,
                        request.translate("The Discord link expired or was not started here. Please try again."));
    return back_to_services(request);
  }
  auto code = request.query("code");
  if (!code || code->empty()) {
    // Discord sends error=access_denied when the user cancels.
    request.add_message(aa::MessageLevel::warning, request.translate("Linking your Discord account was cancelled."));
    return back_to_services(request);
  }

  auto& client = *shared.page_client;
  auto failed = [&](const std::string& step, const aa::discord::Error& error) {
    shared.logger.error("linking Discord for " + user_text + " failed at " + step + ": " + error.describe());
    if (error.kind == aa::discord::ErrorKind::rate_limited) {
      request.add_message(aa::MessageLevel::error,
                          request.translate("Discord is busy right now. Please try again in a minute."));
    } else {
      request.add_message(aa::MessageLevel::error,
                          request.translate("An error occurred while linking your Discord account. Please try again."));
    }
    return back_to_services(request);
  };

  auto tokens = client.exchange_code(shared.settings.app_id, shared.settings.app_secret, *code,
                                     shared.settings.callback_url);
  if (!tokens) return failed("the code exchange", tokens.error());
  auto discord_user = client.current_user(tokens.value().access_token);
  if (!discord_user) return failed("users/@me", discord_user.error());

  auto& sql = request.db();
  auto uid = discord_user.value().id;
  if (auto linked = find_discord_user(sql, user.id); linked && linked->uid != uid) {
    // A second activate started another flow before the first callback.
    // Linking this account too would replace the first link and leave that
    // account in the guild, out of reach of every later sync and removal.
    shared.logger.warning(user_text + " is already linked to Discord user " + std::to_string(linked->uid) +
                          "; Discord user " + std::to_string(uid) + " was not linked");
    request.add_message(aa::MessageLevel::warning,
                        request.translate("Your Discord account is already linked. Unlink it first to link another."));
    return back_to_services(request);
  }
  if (auto owner = find_discord_user_by_uid(sql, uid); owner && owner->user_id != user.id) {
    shared.logger.warning("Discord user " + std::to_string(uid) + " is already linked to user " +
                          std::to_string(owner->user_id) + "; " + user_text + " was not linked");
    request.add_message(aa::MessageLevel::error,
                        request.translate("This Discord account is already linked to another user."));
    return back_to_services(request);
  }

  // The roles follow in discord.update_groups, enqueued below, so that
  // creating missing roles never holds up the page.
  auto added = client.add_guild_member(shared.settings.guild_id, uid, tokens.value().access_token, {},
                                       nickname_for(shared, user));
  if (!added) return failed("adding the member to guild " + std::to_string(shared.settings.guild_id), added.error());

  DiscordUser row;
  row.user_id = user.id;
  row.uid = uid;
  row.username = stored_username(discord_user.value().username);
  row.discriminator = discord_user.value().discriminator.substr(0, 4);
  row.activated = unix_now();
  if (!insert_discord_user(sql, row) && !linked_to(sql, user.id, uid)) {
    undo_add(shared, sql, uid, added.value());
    request.add_message(aa::MessageLevel::error,
                        find_discord_user(sql, user.id)
                            ? request.translate("Your Discord account is already linked. Unlink it first to link another.")
                            : request.translate("This Discord account is already linked to another user."));
    return back_to_services(request);
  }
  enqueue_for_linked_user(shared, sql, kUpdateGroupsTask, user.id);

  shared.logger.info("linked Discord user " + std::to_string(uid) + " to " + user_text +
                     (added.value() == aa::discord::AddMemberOutcome::added ? " and added them to the guild"
                                                                             : ", already a guild member"));
  request.add_message(aa::MessageLevel::success, request.translate("Your Discord account has been linked."));
  return back_to_services(request);
}

aa::Response add_bot_view(Shared& shared, aa::Request& request) {
  if (!shared.settings.complete()) return not_configured(shared, request);
  boost::urls::url authorize(shared.settings.oauth_authorize_url);
  authorize.params().append({"client_id", shared.settings.app_id});
  authorize.params().append({"scope", "bot"});
  authorize.params().append({"permissions", std::to_string(kBotPermissions)});
  authorize.params().append({"guild_id", std::to_string(shared.settings.guild_id)});
  authorize.params().append({"disable_guild_select", "true"});
  shared.logger.info("user " + std::to_string(request.user()->id) + " is adding the bot to guild " +
                     std::to_string(shared.settings.guild_id));
  return aa::Response::redirect(std::string(authorize.buffer()));
}

bool remove_discord_user(Shared& shared, aa::discord::Client& client, soci::session& sql, long long user_id,
                         bool* unlinked_here) {
  auto linked = find_discord_user(sql, user_id);
  if (!linked) return true;

  auto removed = client.remove_guild_member(shared.settings.guild_id, linked->uid);
  if (!removed && !removed.is(aa::discord::ErrorKind::not_found)) {
    shared.logger.error("removing Discord user " + std::to_string(linked->uid) + " of user " +
                        std::to_string(user_id) + " from the guild failed: " + removed.error().describe() +
                        "; the link is kept");
    return false;
  }
  bool deleted = delete_discord_user(sql, user_id);
  if (unlinked_here) *unlinked_here = deleted;
  shared.logger.info("unlinked Discord user " + std::to_string(linked->uid) + " from user " + std::to_string(user_id));
  return true;
}

aa::Response deactivate_view(Shared& shared, aa::Request& request) {
  if (!shared.settings.complete()) return not_configured(shared, request);
  if (remove_discord_user(shared, *shared.page_client, request.db(), request.user()->id)) {
    request.add_message(aa::MessageLevel::success, request.translate("Your Discord account has been unlinked."));
  } else {
    request.add_message(aa::MessageLevel::error,
                        request.translate("An error occurred while removing your Discord account. Please try again."));
  }
  return back_to_services(request);
}

}  // namespace discord_service
