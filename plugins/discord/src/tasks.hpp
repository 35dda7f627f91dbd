// The Discord service's tasks, named as upstream's: discord.update_groups,
// update_nickname and update_username for one user ({"user_id": N}), and
// update_all_groups, update_all_nicknames, update_all_usernames and
// update_all, which enqueue the one-user tasks for every linked user.
#pragma once

#include <memory>

#include "aa/registry.hpp"
#include "service.hpp"

namespace discord_service {

inline constexpr const char* kUpdateGroupsTask = "discord.update_groups";
inline constexpr const char* kUpdateNicknameTask = "discord.update_nickname";
inline constexpr const char* kUpdateUsernameTask = "discord.update_username";

void register_tasks(aa::Registry& registry, std::shared_ptr<Shared> shared);

/// Enqueues `task` for the user when they have a linked account; logs a
/// failed enqueue. For signal handlers and views.
void enqueue_for_linked_user(Shared& shared, soci::session& sql, const char* task, long long user_id);

}  // namespace discord_service
