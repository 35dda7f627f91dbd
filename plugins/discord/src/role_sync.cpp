#include "role_sync.hpp"

#include <algorithm>

#include "aa/text.hpp"

namespace discord_service {
namespace {

bool is_reserved(const std::string& name, const std::set<std::string>& reserved_folded) {
  return !reserved_folded.empty() && reserved_folded.count(aa::text::fold_case(name)) > 0;
}

const aa::discord::Role* find_role(const std::vector<aa::discord::Role>& roles, aa::discord::Snowflake id) {
  auto role = std::find_if(roles.begin(), roles.end(), [&](const auto& r) { return r.id == id; });
  return role == roles.end() ? nullptr : &*role;
}

bool contains(const std::vector<aa::discord::Snowflake>& ids, aa::discord::Snowflake id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

std::set<std::string> fold_all(const std::vector<std::string>& names) {
  std::set<std::string> folded;
  for (const auto& name : names) folded.insert(aa::text::fold_case(name));
  return folded;
}

std::vector<WantedRole> wanted_roles(const std::vector<aa::GroupRef>& groups, long long state_id,
                                     const std::string& state_name, const std::set<std::string>& reserved_folded) {
  std::vector<WantedRole> roles;
  auto add = [&](const std::string& source_name, bool from_state, long long source_id) {
    auto name = aa::discord::sanitize_role_name(source_name);
    if (name.empty() || is_reserved(name, reserved_folded)) return;
    bool listed = std::any_of(roles.begin(), roles.end(), [&](const WantedRole& role) { return role.name == name; });
    if (!listed) roles.push_back({name, from_state, source_id, source_name});
  };
  for (const auto& group : groups) add(group.name, false, group.id);
  if (state_id != 0 && !state_name.empty()) add(state_name, true, state_id);
  return roles;
}

int highest_position(const std::vector<aa::discord::Role>& guild_roles,
                     const std::vector<aa::discord::Snowflake>& bot_role_ids) {
  int highest = 0;
  for (auto id : bot_role_ids) {
    if (auto role = find_role(guild_roles, id)) highest = std::max(highest, role->position);
  }
  return highest;
}

bool is_above_bot(const aa::discord::Role& role, std::optional<int> bot_position) {
  return bot_position && role.position >= *bot_position;
}

std::vector<aa::discord::Snowflake> member_role_ids(const std::vector<aa::discord::Snowflake>& current,
                                                    const std::vector<aa::discord::Role>& guild_roles,
                                                    const std::vector<aa::discord::Role>& wanted,
                                                    const std::set<std::string>& reserved_folded,
                                                    std::optional<int> bot_position) {
  std::vector<aa::discord::Snowflake> ids;
  auto add = [&](aa::discord::Snowflake id) {
    if (!contains(ids, id)) ids.push_back(id);
  };

  for (auto id : current) {
    auto role = find_role(guild_roles, id);
    // A role the guild list lacks was deleted meanwhile; keeping it would
    // make Discord reject the whole list.
    if (!role) continue;
    if (role->managed || is_reserved(role->name, reserved_folded) || is_above_bot(*role, bot_position)) add(id);
  }
  for (const auto& role : wanted) {
    if (!is_above_bot(role, bot_position) || contains(current, role.id)) add(role.id);
  }
  return ids;
}

std::vector<aa::discord::Role> roles_blocked_by_bot(const std::vector<aa::discord::Snowflake>& current,
                                                    const std::vector<aa::discord::Role>& guild_roles,
                                                    const std::vector<aa::discord::Role>& wanted,
                                                    const std::set<std::string>& reserved_folded,
                                                    std::optional<int> bot_position) {
  std::vector<aa::discord::Role> blocked;
  if (!bot_position) return blocked;

  // `unlimited` is the list role sync would set if the bot could manage
  // every role. A current role missing from it and above the bot is blocked.
  auto unlimited = member_role_ids(current, guild_roles, wanted, reserved_folded, std::nullopt);
  for (const auto& role : wanted) {
    if (!contains(current, role.id) && is_above_bot(role, bot_position)) blocked.push_back(role);
  }
  for (auto id : current) {
    if (contains(unlimited, id)) continue;
    auto role = find_role(guild_roles, id);
    if (role && is_above_bot(*role, bot_position)) blocked.push_back(*role);
  }
  return blocked;
}

}  // namespace discord_service
