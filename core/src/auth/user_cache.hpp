// A per-process cache of what each request needs about its user: the
// account, permission set, groups, characters and unread notification count. Entries are tagged with
// the auth data version from the database; any change to auth data bumps
// that version (in every process's view, since it lives in the database),
// so a grant change takes effect on the next request.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <vector>

#include <soci/soci.h>

#include "auth/accounts.hpp"

namespace aa::core {

struct UserSnapshot {
  long long version = 0;
  User user;
  PermissionSet permissions;
  std::vector<GroupRef> groups;
  std::vector<Character> characters;
  int unread_notifications = 0;
};

class UserCache {
 public:
  /// The user's snapshot at the current auth version, loading it on a miss.
  /// Nothing when the user does not exist. `known_version` is the version
  /// when the caller has just read it; otherwise it is read here.
  std::shared_ptr<const UserSnapshot> get(soci::session& sql, long long user_id,
                                          std::optional<long long> known_version = std::nullopt);
  void clear();

 private:
  std::shared_mutex mutex_;
  std::map<long long, std::shared_ptr<const UserSnapshot>> entries_;
  long long version_ = -1;
};

}  // namespace aa::core
