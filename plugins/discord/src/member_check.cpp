#include "member_check.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "aa/tasks.hpp"
#include "discord_users.hpp"
#include "roles_above_bot.hpp"
#include "sync.hpp"

namespace discord_service {
namespace {

using aa::discord::ErrorKind;
using aa::discord::GuildMember;
using aa::discord::Snowflake;

// Discord's largest page for the member list.
constexpr int kPageSize = 1000;

[[noreturn]] void fail(const char* task, const std::string& what, const aa::discord::Error& error) {
  auto message = std::string(task) + ": " + what + " failed: " + error.describe();
  if (error.kind == ErrorKind::rate_limited) {
    aa::retry(message, std::chrono::ceil<std::chrono::seconds>(error.retry_after));
  }
  throw std::runtime_error(message);
}

using MembersByUid = std::unordered_map<Snowflake, GuildMember>;

// Every member by Discord user id, or the error of the page that failed.
aa::discord::Result<MembersByUid> list_members(Shared& shared) {
  MembersByUid members;
  Snowflake after = 0;
  for (;;) {
    auto page = shared.client->guild_members(shared.settings.guild_id, kPageSize, after);
    if (!page) return page.error();
    for (auto& member : page.value()) {
      if (!member.user) continue;
      after = std::max(after, member.user->id);
      auto uid = member.user->id;
      members[uid] = std::move(member);
    }
    if (page.value().size() < static_cast<std::size_t>(kPageSize)) return members;
  }
}

// The roles of members against the guild's role list, read once per run
// and once more when a member has a role the cached list lacks.
class RoleComparison {
 public:
  RoleComparison(Shared& shared, soci::session& sql, const char* task) : shared_(shared), sql_(sql), task_(task) {}

  bool differs(const DiscordUser& user, const GuildMember& member) {
    if (!roles_) load(true);
    const auto& current = member.role_ids;
    if (!refreshed_ && !std::all_of(current.begin(), current.end(), [&](Snowflake id) { return known(id); })) {
      load(false);
      refreshed_ = true;
    }
    return roles_differ(shared_, sql_, user.user_id, current, *roles_, bot_position_);
  }

 private:
  void load(bool use_cache) {
    auto roles = shared_.client->guild_roles(shared_.settings.guild_id, use_cache);
    if (!roles) fail(task_, "reading the guild roles", roles.error());
    roles_ = std::move(roles.value());
    bot_position_ = read_bot_position(shared_, *roles_, use_cache);
  }

  bool known(Snowflake id) const {
    return std::any_of(roles_->begin(), roles_->end(), [&](const auto& role) { return role.id == id; });
  }

  Shared& shared_;
  soci::session& sql_;
  const char* task_;
  std::optional<std::vector<aa::discord::Role>> roles_;
  std::optional<int> bot_position_;
  bool refreshed_ = false;
};

// The same test update_nickname makes before it changes a nickname.
bool nickname_differs(Shared& shared, const DiscordUser& user, const GuildMember& member) {
  auto auth_user = shared.context.auth().user_by_id(user.user_id);
  if (!auth_user) return false;
  auto nick = nickname_for(shared, *auth_user);
  return nick && member.nick != nick;
}

// The same cut to the stored lengths that update_username makes.
bool username_differs(const DiscordUser& user, const GuildMember& member) {
  if (!member.user) return false;
  return stored_username(member.user->username) != user.username ||
         member.user->discriminator.substr(0, 4) != user.discriminator;
}

}  // namespace

MemberCheck users_to_update(Shared& shared, soci::session& sql, MemberAspect aspect, const char* task) {
  MemberCheck check;
  auto linked = all_discord_users(sql);
  check.linked = linked.size();
  // Without name sync update_nickname changes nothing, so no user needs it.
  if (aspect == MemberAspect::nickname && !shared.settings.sync_names) return check;

  auto members = list_members(shared);
  if (members.is(ErrorKind::forbidden)) {
    shared.logger.warning(std::string(task) + " could not read the guild's member list (" +
                          members.error().describe() +
                          "); turn on the Server Members Intent of the bot in Discord's developer portal. Every "
                          "linked user's member is read on its own instead");
    for (const auto& user : linked) check.to_update.push_back(user.user_id);
    check.compared = false;
    return check;
  }
  if (!members) fail(task, "reading the guild's member list", members.error());
  check.listed = members.value().size();

  RoleComparison roles(shared, sql, task);
  for (const auto& user : linked) {
    auto found = members.value().find(user.uid);
    if (found == members.value().end()) {
      check.to_update.push_back(user.user_id);
      continue;
    }
    bool differs = false;
    switch (aspect) {
      case MemberAspect::roles: differs = roles.differs(user, found->second); break;
      case MemberAspect::nickname: differs = nickname_differs(shared, user, found->second); break;
      case MemberAspect::username: differs = username_differs(user, found->second); break;
    }
    if (differs) check.to_update.push_back(user.user_id);
  }
  return check;
}

}  // namespace discord_service
