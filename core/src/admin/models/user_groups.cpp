#include "admin/models/user_groups.hpp"

#include <algorithm>

#include "groups/group_repository.hpp"

namespace aa::core {
namespace {

std::vector<long long> to_ids(const std::vector<std::string>& texts) {
  std::vector<long long> ids;
  for (const auto& text : texts) ids.push_back(std::stoll(text));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

bool replace_user_groups(soci::session& sql, long long user_id, const std::vector<std::string>& group_ids,
                         std::vector<SignalEvent>& events) {
  return groups::replace_user_groups(sql, user_id, to_ids(group_ids), events);
}

bool touches_restricted_group(soci::session& sql, const std::vector<std::string>& before,
                              const std::vector<std::string>& after) {
  auto old_ids = to_ids(before);
  auto new_ids = to_ids(after);
  std::vector<long long> changed;
  std::set_symmetric_difference(old_ids.begin(), old_ids.end(), new_ids.begin(), new_ids.end(),
                                std::back_inserter(changed));
  for (long long group_id : changed) {
    auto group = groups::load_group(sql, group_id);
    if (group && group->restricted) return true;
  }
  return false;
}

}  // namespace aa::core
