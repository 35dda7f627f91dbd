#include "auth/user_cache.hpp"

#include <mutex>

#include "auth/notifications.hpp"

namespace aa::core {

std::shared_ptr<const UserSnapshot> UserCache::get(soci::session& sql, long long user_id,
                                                   std::optional<long long> known_version) {
  long long version = known_version ? *known_version : auth_version(sql);
  {
    std::shared_lock lock(mutex_);
    if (version == version_) {
      if (auto it = entries_.find(user_id); it != entries_.end()) return it->second;
    }
  }

  auto user = load_user(sql, user_id);
  if (!user) return nullptr;
  auto snapshot = std::make_shared<UserSnapshot>();
  snapshot->version = version;
  snapshot->permissions = load_permissions(sql, *user);
  snapshot->groups = groups_of_user(sql, user_id);
  snapshot->characters = characters_of_user(sql, user_id);
  snapshot->unread_notifications = unread_notification_count(sql, user_id);
  snapshot->user = std::move(*user);

  std::unique_lock lock(mutex_);
  if (version != version_) {
    // Another version makes every other entry stale at once. It is normally
    // newer; an older one means the database was replaced or restored.
    entries_.clear();
    version_ = version;
  }
  if (version == version_) entries_[user_id] = snapshot;
  return snapshot;
}

void UserCache::clear() {
  std::unique_lock lock(mutex_);
  entries_.clear();
  version_ = -1;
}

}  // namespace aa::core
