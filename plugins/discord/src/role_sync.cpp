#include "role_sync.hpp"

#include <algorithm>

#include "aa/text.hpp"

namespace discord_service {
namespace {

bool is_reserved(const std::string& name, const std::set<std::string>& reserved_folded) {
  return !reserved_folded.empty() && reserved_folded.count(aa::text::fold_case(name)) > 0;
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

std::vector<aa::discord::Snowflake> member_role_ids(const std::vector<aa::discord::Snowflake>& current,
                                                    const std::vector<aa::discord::Role>& guild_roles,
                                                    const std::vector<aa::discord::Role>& wanted,
                                                    const std::set<std::string>& reserved_folded) {
  std::vector<aa::discord::Snowflake> ids;
  auto add = [&](aa::discord::Snowflake id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };

  for (auto id : current) {
    auto role = std::find_if(guild_roles.begin(), guild_roles.end(), [&](const auto& r) { return r.id == id; });
    // A role the guild list lacks was deleted meanwhile; keeping it would
    // make Discord reject the whole list.
    if (role == guild_roles.end()) continue;
    if (role->managed || is_reserved(role->name, reserved_folded)) add(id);
  }
  for (const auto& role : wanted) add(role.id);
  return ids;
}

}  // namespace discord_service
