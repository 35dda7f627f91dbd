#include "group_check.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "aa/tasks.hpp"
#include "discord_users.hpp"
#include "sync.hpp"

namespace discord_service {
namespace {

using aa::discord::ErrorKind;
using aa::discord::Snowflake;

// Discord's largest page for the member list.
constexpr int kPageSize = 1000;

[[noreturn]] void fail(const std::string& what, const aa::discord::Error& error) {
  auto message = "discord.update_all_groups: " + what + " failed: " + error.describe();
  if (error.kind == ErrorKind::rate_limited) {
    aa::retry(message, std::chrono::ceil<std::chrono::seconds>(error.retry_after));
  }
  throw std::runtime_error(message);
}

using RoleIdsByUid = std::unordered_map<Snowflake, std::vector<Snowflake>>;

// Every member's role ids by Discord user id, or the error of the page
// that failed.
aa::discord::Result<RoleIdsByUid> list_members(Shared& shared) {
  RoleIdsByUid members;
  Snowflake after = 0;
  for (;;) {
    auto page = shared.client->guild_members(shared.settings.guild_id, kPageSize, after);
    if (!page) return page.error();
    for (auto& member : page.value()) {
      if (!member.user) continue;
      after = std::max(after, member.user->id);
      members[member.user->id] = std::move(member.role_ids);
    }
    if (page.value().size() < static_cast<std::size_t>(kPageSize)) return members;
  }
}

}  // namespace

GroupCheck users_to_update(Shared& shared, soci::session& sql) {
  GroupCheck check;
  auto linked = all_discord_users(sql);
  check.linked = linked.size();

  auto members = list_members(shared);
  if (members.is(ErrorKind::forbidden)) {
    shared.logger.warning("discord.update_all_groups could not read the guild's member list (" +
                          members.error().describe() +
                          "); turn on the Server Members Intent of the bot in Discord's developer portal. Every "
                          "linked user's member is read on its own instead");
    for (const auto& user : linked) check.to_update.push_back(user.user_id);
    check.compared = false;
    return check;
  }
  if (!members) fail("reading the guild's member list", members.error());
  check.listed = members.value().size();

  auto guild_roles = shared.client->guild_roles(shared.settings.guild_id);
  if (!guild_roles) fail("reading the guild roles", guild_roles.error());
  // A role on a member that the cached list lacks is newer than the cache:
  // read the list once more, once for the whole run.
  bool refreshed = false;
  auto known = [&](Snowflake id) {
    return std::any_of(guild_roles.value().begin(), guild_roles.value().end(),
                       [&](const auto& role) { return role.id == id; });
  };

  for (const auto& user : linked) {
    auto member = members.value().find(user.uid);
    if (member == members.value().end()) {
      check.to_update.push_back(user.user_id);
      continue;
    }
    const auto& current = member->second;
    if (!refreshed && !std::all_of(current.begin(), current.end(), known)) {
      guild_roles = shared.client->guild_roles(shared.settings.guild_id, false);
      if (!guild_roles) fail("reading the guild roles", guild_roles.error());
      refreshed = true;
    }
    if (roles_differ(shared, user.user_id, current, guild_roles.value())) check.to_update.push_back(user.user_id);
  }
  return check;
}

}  // namespace discord_service
