#include "role_sync.hpp"

#include <algorithm>
#include <cctype>

namespace discord_service {

std::string lower_case(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::vector<std::string> wanted_role_names(const std::vector<std::string>& group_names, const std::string& state_name,
                                           const std::set<std::string>& reserved_lower_case) {
  std::vector<std::string> names;
  auto add = [&](const std::string& raw) {
    auto name = aa::discord::sanitize_role_name(raw);
    if (name.empty() || reserved_lower_case.count(lower_case(name))) return;
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const auto& group : group_names) add(group);
  if (!state_name.empty()) add(state_name);
  return names;
}

std::vector<aa::discord::Snowflake> member_role_ids(const std::vector<aa::discord::Snowflake>& current,
                                                    const std::vector<aa::discord::Role>& guild_roles,
                                                    const std::vector<aa::discord::Role>& wanted,
                                                    const std::set<std::string>& reserved_lower_case) {
  std::vector<aa::discord::Snowflake> ids;
  auto add = [&](aa::discord::Snowflake id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  };

  for (auto id : current) {
    auto role = std::find_if(guild_roles.begin(), guild_roles.end(), [&](const auto& r) { return r.id == id; });
    // A role the guild list lacks was deleted meanwhile; keeping it would
    // make Discord reject the whole list.
    if (role == guild_roles.end()) continue;
    if (role->managed || reserved_lower_case.count(lower_case(role->name))) add(id);
  }
  for (const auto& role : wanted) add(role.id);
  return ids;
}

}  // namespace discord_service
