#include "sync.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <stdexcept>

#include "aa/name_format.hpp"
#include "aa/tasks.hpp"
#include "discord_users.hpp"
#include "migrations.hpp"
#include "rejected_roles.hpp"
#include "role_sync.hpp"
#include "roles_above_bot.hpp"

namespace discord_service {
namespace {

using aa::discord::ErrorKind;

// Upstream's default format for Discord nicknames.
constexpr const char* kDefaultNameFormat = "{character_name}";

// Discord's JSON error code for an unknown role.
constexpr int kUnknownRoleCode = 10011;

[[noreturn]] void fail(const std::string& what, long long user_id, const aa::discord::Error& error) {
  auto message = what + " for user " + std::to_string(user_id) + " failed: " + error.describe();
  if (error.kind == ErrorKind::rate_limited) {
    aa::retry(message, std::chrono::ceil<std::chrono::seconds>(error.retry_after));
  }
  throw std::runtime_error(message);
}

// True when Discord rejected a member's role list because a role in it no
// longer exists (deleted on Discord after the roles were cached): 404 Unknown
// Role, or 400 Invalid Form Body on the roles field.
bool rejects_unknown_role(const aa::discord::Error& error) {
  if (error.kind == ErrorKind::not_found) return error.code == kUnknownRoleCode;
  return error.kind == ErrorKind::bad_request && error.code == 50035 &&
         error.message.find("roles:") != std::string::npos;
}

// The names of the roles in `ids` that are not in `except`, each in
// typographic quotes, or "none".
std::string role_names(const std::vector<aa::discord::Snowflake>& ids, const std::vector<aa::discord::Snowflake>& except,
                       const std::vector<aa::discord::Role>& guild_roles) {
  std::string names;
  for (auto id : ids) {
    if (std::find(except.begin(), except.end(), id) != except.end()) continue;
    auto role = std::find_if(guild_roles.begin(), guild_roles.end(), [&](const auto& r) { return r.id == id; });
    auto name = role != guild_roles.end() ? role->name : std::to_string(id);
    names += (names.empty() ? "" : ", ") + ("\xE2\x80\x9C" + name + "\xE2\x80\x9D");
  }
  return names.empty() ? "none" : names;
}

// Fails the task for Discord's 50013 Missing Permissions on a member's
// roles. The message names the roles given and taken, so the superusers'
// notice shows which roles the bot's role must sit above.
[[noreturn]] void fail_missing_permissions(long long user_id, const aa::discord::Error& error,
                                           const std::vector<aa::discord::Snowflake>& current,
                                           const std::vector<aa::discord::Snowflake>& next,
                                           const std::vector<aa::discord::Role>& guild_roles) {
  throw std::runtime_error("setting the roles for user " + std::to_string(user_id) + " failed: " + error.describe() +
                           ". The bot gives and takes only roles below its own highest role; this update gives " +
                           role_names(next, current, guild_roles) + " and takes " +
                           role_names(current, next, guild_roles) +
                           ". Drag the bot's role above these roles in the server's role list.");
}

SyncOutcome forget_departed(Shared& shared, soci::session& sql, const DiscordUser& linked) {
  delete_discord_user(sql, linked.user_id);
  shared.logger.info("Discord user " + std::to_string(linked.uid) + " of user " + std::to_string(linked.user_id) +
                     " is no longer in the guild; the link was deleted");
  return SyncOutcome::left_guild;
}

// The roles of `wanted`, created where missing unless role creation is off.
// A name Discord rejects is skipped, so the member still gets the others.
std::vector<aa::discord::Role> roles_for(Shared& shared, soci::session& sql, long long user_id,
                                         const std::vector<WantedRole>& wanted,
                                         const std::vector<aa::discord::Role>& guild_roles) {
  std::vector<aa::discord::Role> roles;
  for (const auto& role : wanted) {
    if (auto rejected = find_rejected_role(sql, role.from_state, role.source_id)) {
      if (rejected->role_name == role.name) {
        if (auto found = role_after_rejection(shared, sql, role, *rejected, guild_roles)) roles.push_back(*found);
        continue;
      }
      // The group or state has another name now, which Discord may accept.
      forget_rejected_role(sql, role.from_state, role.source_id);
    }

    auto matched = shared.client->match_or_create_role(shared.settings.guild_id, role.name,
                                                       !shared.settings.disable_role_creation);
    if (matched.is(ErrorKind::not_found)) {
      shared.logger.info("role \"" + role.name + "\" for user " + std::to_string(user_id) +
                         " is missing and role creation is disabled; skipped");
      continue;
    }
    if (!matched && is_rejected_name(matched.error())) {
      report_rejected_name(shared, sql, user_id, role, matched.error());
      continue;
    }
    if (!matched) fail("matching role \"" + role.name + "\"", user_id, matched.error());
    if (matched.value().second) shared.logger.info("created Discord role \"" + role.name + "\"");
    roles.push_back(matched.value().first);
  }
  return roles;
}

}  // namespace

SyncOutcome update_groups(Shared& shared, soci::session& sql, long long user_id) {
  auto linked = find_discord_user(sql, user_id);
  if (!linked) return SyncOutcome::not_linked;
  auto guild_id = shared.settings.guild_id;
  auto& client = *shared.client;

  // The removal at deletion ran out of retries (Discord down for longer),
  // so the link outlived its user. The bulk task queues such links here.
  auto& auth = shared.context.auth();
  auto user = auth.user_by_id(user_id);
  if (!user) {
    auto removed = client.remove_guild_member(guild_id, linked->uid);
    if (!removed && !removed.is(ErrorKind::not_found)) {
      fail("removing the member of a deleted user", user_id, removed.error());
    }
    delete_discord_user(sql, user_id);
    shared.logger.info("Discord user " + std::to_string(linked->uid) + " of deleted user " + std::to_string(user_id) +
                       " was removed from the guild and the link deleted");
    return SyncOutcome::user_deleted;
  }

  auto member = client.guild_member(guild_id, linked->uid);
  if (member.is(ErrorKind::not_found)) return forget_departed(shared, sql, *linked);
  if (!member) fail("reading the guild member", user_id, member.error());
  const auto& current = member.value().role_ids;

  // A current role missing from the cached list is newer than the cache;
  // the fresh list shows whether it is managed or reserved.
  auto guild_roles = client.guild_roles(guild_id);
  if (!guild_roles) fail("reading the guild roles", user_id, guild_roles.error());
  auto known = [&](aa::discord::Snowflake id) {
    return std::any_of(guild_roles.value().begin(), guild_roles.value().end(), [&](const auto& r) { return r.id == id; });
  };
  bool use_cache = std::all_of(current.begin(), current.end(), known);
  if (!use_cache) {
    guild_roles = client.guild_roles(guild_id, false);
    if (!guild_roles) fail("reading the guild roles", user_id, guild_roles.error());
  }
  auto bot_position = read_bot_position(shared, guild_roles.value(), use_cache);
  if (bot_position) forget_roles_below_bot(sql, guild_roles.value(), *bot_position);

  auto reserved = fold_all(auth.reserved_group_names());
  auto wanted = wanted_roles(auth.groups_of_user(user_id), user->state_id, user->state_name, reserved);
  auto next_role_ids = [&] {
    auto roles = roles_for(shared, sql, user_id, wanted, guild_roles.value());
    report_roles_above_bot(shared, sql, user_id,
                           roles_blocked_by_bot(current, guild_roles.value(), roles, reserved, bot_position));
    return member_role_ids(current, guild_roles.value(), roles, reserved, bot_position);
  };
  auto unchanged = [&](const std::vector<aa::discord::Snowflake>& next) {
    return std::set(next.begin(), next.end()) == std::set(current.begin(), current.end());
  };
  auto next = next_role_ids();
  if (unchanged(next)) return SyncOutcome::unchanged;
  auto modified = client.modify_guild_member(guild_id, linked->uid, next, std::nullopt);

  // Cached data goes out of date in two ways, and every retry would send
  // the same list again. A role deleted on Discord stays in the cached
  // roles, so Discord rejects it as unknown. After a role was taken from the
  // bot or dragged above it, the cached roles place the bot too high, so
  // Discord answers Missing Permissions. Reading both afresh renews the
  // caches, so a missing role is created again and a role now above the bot
  // is left alone.
  bool cached_bot_roles = use_cache && bot_position.has_value();
  bool stale = !modified && (rejects_unknown_role(modified.error()) ||
                             (cached_bot_roles && modified.is(ErrorKind::missing_permissions)));
  if (stale) {
    shared.logger.info("Discord rejected the roles of user " + std::to_string(user_id) + " (" +
                       modified.error().describe() + "); reading the guild roles and the bot's roles again");
    guild_roles = client.guild_roles(guild_id, false);
    if (!guild_roles) fail("reading the guild roles", user_id, guild_roles.error());
    bot_position = read_bot_position(shared, guild_roles.value(), false);
    next = next_role_ids();
    if (unchanged(next)) return SyncOutcome::unchanged;
    modified = client.modify_guild_member(guild_id, linked->uid, next, std::nullopt);
  }
  if (modified.is(ErrorKind::not_found) && !rejects_unknown_role(modified.error())) {
    return forget_departed(shared, sql, *linked);
  }
  // Only while the bot's position is unknown, or when the cached position
  // is out of date, may a role above the bot reach Discord.
  if (modified.is(ErrorKind::missing_permissions)) {
    fail_missing_permissions(user_id, modified.error(), current, next, guild_roles.value());
  }
  if (!modified) fail("setting the roles", user_id, modified.error());
  return SyncOutcome::updated;
}

bool roles_differ(Shared& shared, soci::session& sql, long long user_id,
                  const std::vector<aa::discord::Snowflake>& current,
                  const std::vector<aa::discord::Role>& guild_roles, std::optional<int> bot_position) {
  // A deleted user's member differs from every wanted state, because
  // update_groups removes it.
  auto& auth = shared.context.auth();
  auto user = auth.user_by_id(user_id);
  if (!user) return true;

  auto reserved = fold_all(auth.reserved_group_names());
  std::vector<aa::discord::Role> wanted;
  for (const auto& wanted_role :
       wanted_roles(auth.groups_of_user(user_id), user->state_id, user->state_name, reserved)) {
    auto role = std::find_if(guild_roles.begin(), guild_roles.end(),
                             [&](const auto& r) { return r.name == wanted_role.name; });
    if (role != guild_roles.end()) {
      wanted.push_back(*role);
      continue;
    }
    if (shared.settings.disable_role_creation) continue;
    auto rejected = find_rejected_role(sql, wanted_role.from_state, wanted_role.source_id);
    if (!rejected || rejected->role_name != wanted_role.name) return true;
  }
  auto next = member_role_ids(current, guild_roles, wanted, reserved, bot_position);
  return std::set(next.begin(), next.end()) != std::set(current.begin(), current.end());
}

std::optional<std::string> nickname_for(Shared& shared, const aa::User& user) {
  if (!shared.settings.sync_names || !user.main_character) return std::nullopt;
  auto format = shared.context.auth().name_format_for("discord", user, kDefaultNameFormat);
  std::string nick;
  try {
    nick = aa::discord::sanitize_nick(aa::apply_name_format(format, aa::name_fields_of(user)));
  } catch (const std::invalid_argument& error) {
    // Saving checks formats, so only a format stored by hand gets here.
    shared.logger.error("the Discord name format \"" + format + "\" for user " + std::to_string(user.id) +
                        " is unusable: " + error.what() + "; the nickname is left as it is until the format is fixed");
    return std::nullopt;
  }
  if (!nick.empty()) return nick;

  // The format gave no visible character (a format of zero-width characters,
  // or only fields that are blank for this user), which Discord rejects as a
  // nickname. The character name, which the default format gives, is used
  // instead: without a nickname Discord shows the member's own Discord name,
  // which name sync is turned on to replace.
  auto fallback = aa::discord::sanitize_nick(user.main_character->character_name);
  shared.logger.warning("the Discord name format \"" + format + "\" gives user " + std::to_string(user.id) +
                        " a nickname with no visible character; using the character name \"" + fallback +
                        "\" instead. Change the format in the admin's name formats");
  if (fallback.empty()) return std::nullopt;
  return fallback;
}

SyncOutcome update_nickname(Shared& shared, soci::session& sql, long long user_id) {
  if (!shared.settings.sync_names) return SyncOutcome::unchanged;
  auto linked = find_discord_user(sql, user_id);
  if (!linked) return SyncOutcome::not_linked;
  auto user = shared.context.auth().user_by_id(user_id);
  if (!user) return SyncOutcome::unchanged;
  auto nick = nickname_for(shared, *user);
  if (!nick) return SyncOutcome::unchanged;

  auto modified = shared.client->modify_guild_member(shared.settings.guild_id, linked->uid, std::nullopt, *nick);
  if (modified.is(ErrorKind::not_found)) return forget_departed(shared, sql, *linked);
  if (!modified) fail("setting the nickname", user_id, modified.error());
  return SyncOutcome::updated;
}

SyncOutcome update_username(Shared& shared, soci::session& sql, long long user_id) {
  auto linked = find_discord_user(sql, user_id);
  if (!linked) return SyncOutcome::not_linked;

  auto member = shared.client->guild_member(shared.settings.guild_id, linked->uid);
  if (member.is(ErrorKind::not_found)) return forget_departed(shared, sql, *linked);
  if (!member) fail("reading the guild member", user_id, member.error());
  if (!member.value().user) return SyncOutcome::unchanged;

  auto username = stored_username(member.value().user->username);
  auto discriminator = member.value().user->discriminator.substr(0, 4);
  if (username == linked->username && discriminator == linked->discriminator) return SyncOutcome::unchanged;
  linked->username = username;
  linked->discriminator = discriminator;
  save_discord_user(sql, *linked);
  return SyncOutcome::updated;
}

std::vector<long long> linked_user_ids(soci::session& sql) {
  std::vector<long long> ids;
  soci::rowset<long long> rows = (sql.prepare << "SELECT user_id FROM " << kUserTable << " ORDER BY user_id");
  for (auto id : rows) ids.push_back(id);
  return ids;
}

}  // namespace discord_service
