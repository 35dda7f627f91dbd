#include "sync.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "aa/name_format.hpp"
#include "aa/tasks.hpp"
#include "discord_users.hpp"
#include "migrations.hpp"
#include "role_sync.hpp"

namespace discord_service {
namespace {

using aa::discord::ErrorKind;

// Upstream's default format for Discord nicknames.
constexpr const char* kDefaultNameFormat = "{character_name}";

[[noreturn]] void fail(const std::string& what, long long user_id, const aa::discord::Error& error) {
  auto message = what + " for user " + std::to_string(user_id) + " failed: " + error.describe();
  if (error.kind == ErrorKind::rate_limited) {
    aa::retry(message, std::chrono::ceil<std::chrono::seconds>(error.retry_after));
  }
  throw std::runtime_error(message);
}

// NOTE: reserved group names are not in core yet, so no role is treated as
// reserved; role_sync.hpp applies them once core provides the list.
std::set<std::string> reserved_names() { return {}; }

SyncOutcome forget_departed(Shared& shared, soci::session& sql, const DiscordUser& linked) {
  delete_discord_user(sql, linked.user_id);
  shared.logger.info("Discord user " + std::to_string(linked.uid) + " of user " + std::to_string(linked.user_id) +
                     " is no longer in the guild; the link was deleted");
  return SyncOutcome::left_guild;
}

// The roles of `names`, created where missing unless role creation is off.
std::vector<aa::discord::Role> roles_for(Shared& shared, long long user_id, const std::vector<std::string>& names) {
  std::vector<aa::discord::Role> roles;
  for (const auto& name : names) {
    auto matched = shared.client->match_or_create_role(shared.settings.guild_id, name,
                                                       !shared.settings.disable_role_creation);
    if (matched.is(ErrorKind::not_found)) {
      shared.logger.info("role \"" + name + "\" for user " + std::to_string(user_id) +
                         " is missing and role creation is disabled; skipped");
      continue;
    }
    if (!matched) fail("matching role \"" + name + "\"", user_id, matched.error());
    if (matched.value().second) shared.logger.info("created Discord role \"" + name + "\"");
    roles.push_back(matched.value().first);
  }
  return roles;
}

std::vector<std::string> wanted_names(Shared& shared, long long user_id) {
  auto& auth = shared.context.auth();
  std::vector<std::string> groups;
  for (const auto& group : auth.groups_of_user(user_id)) groups.push_back(group.name);
  auto user = auth.user_by_id(user_id);
  return wanted_role_names(groups, user ? user->state_name : std::string(), reserved_names());
}

}  // namespace

SyncOutcome update_groups(Shared& shared, soci::session& sql, long long user_id) {
  auto linked = find_discord_user(sql, user_id);
  if (!linked) return SyncOutcome::not_linked;
  auto guild_id = shared.settings.guild_id;
  auto& client = *shared.client;

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
  if (!std::all_of(current.begin(), current.end(), known)) {
    guild_roles = client.guild_roles(guild_id, false);
    if (!guild_roles) fail("reading the guild roles", user_id, guild_roles.error());
  }

  auto wanted = roles_for(shared, user_id, wanted_names(shared, user_id));
  auto next = member_role_ids(current, guild_roles.value(), wanted, reserved_names());
  if (std::set(next.begin(), next.end()) == std::set(current.begin(), current.end())) return SyncOutcome::unchanged;

  auto modified = client.modify_guild_member(guild_id, linked->uid, next, std::nullopt);
  if (modified.is(ErrorKind::not_found)) return forget_departed(shared, sql, *linked);
  if (!modified) fail("setting the roles", user_id, modified.error());
  return SyncOutcome::updated;
}

bool roles_differ(Shared& shared, long long user_id, const std::vector<aa::discord::Snowflake>& current,
                  const std::vector<aa::discord::Role>& guild_roles) {
  std::vector<aa::discord::Role> wanted;
  for (const auto& name : wanted_names(shared, user_id)) {
    auto role = std::find_if(guild_roles.begin(), guild_roles.end(), [&](const auto& r) { return r.name == name; });
    if (role != guild_roles.end()) {
      wanted.push_back(*role);
    } else if (!shared.settings.disable_role_creation) {
      return true;
    }
  }
  auto next = member_role_ids(current, guild_roles, wanted, reserved_names());
  return std::set(next.begin(), next.end()) != std::set(current.begin(), current.end());
}

std::optional<std::string> nickname_for(Shared& shared, const aa::User& user) {
  if (!shared.settings.sync_names || !user.main_character) return std::nullopt;
  auto format = shared.context.auth().name_format_for("discord", user, kDefaultNameFormat);
  try {
    auto nick = aa::discord::sanitize_nick(aa::apply_name_format(format, aa::name_fields_of(user)));
    if (nick.empty()) return std::nullopt;
    return nick;
  } catch (const std::invalid_argument& error) {
    // Saving checks formats, so only a format stored by hand gets here.
    shared.logger.error("the Discord name format \"" + format + "\" for user " + std::to_string(user.id) +
                        " is unusable: " + error.what() + "; the nickname is left as it is until the format is fixed");
    return std::nullopt;
  }
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

  auto username = member.value().user->username.substr(0, 32);
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
