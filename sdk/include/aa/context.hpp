// The host services a plugin reaches through the SDK, never by including core.
// They are settings, loggers, the database, the framework API over users and
// characters, notifications, the ESI client and the task queue.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aa/db.hpp"
#include "aa/esi.hpp"
#include "aa/export.hpp"
#include "aa/log.hpp"
#include "aa/models.hpp"
#include "aa/settings.hpp"
#include "aa/tasks.hpp"

namespace aa {

enum class NotificationLevel { info, success, warning, danger };

/// Read API over users and characters, after Alliance Auth's framework API.
/// Every call reads the database; all are thread-safe.
class AA_SDK_API AuthApi {
 public:
  virtual ~AuthApi() = default;

  virtual std::optional<User> user_by_id(long long user_id) = 0;
  /// The main character of a user, if they have one.
  virtual std::optional<Character> main_character_of_user(long long user_id) = 0;
  /// Every character owned by a user, main first.
  virtual std::vector<Character> characters_of_user(long long user_id) = 0;
  /// The user who owns a character, or the sentinel user when nobody does.
  virtual long long user_of_character(long long character_id) = 0;
  /// The main character of the user who owns `character_id`.
  virtual std::optional<Character> main_character_of_character(long long character_id) = 0;
  /// The id of the inactive "deleted" user that takes over records of deleted users.
  virtual long long sentinel_user_id() = 0;
  virtual std::vector<GroupRef> groups_of_user(long long user_id) = 0;
  /// The same rules as Request::has_perm, for a user outside a request.
  virtual bool user_has_perm(long long user_id, std::string_view permission) = 0;
  /// The name format an admin set for the service and the user's state, or
  /// `default_format` when there is none. Apply it with apply_name_format
  /// and name_fields_of from aa/name_format.hpp.
  virtual std::string name_format_for(std::string_view service_name, const User& user,
                                      std::string_view default_format) = 0;
  /// The reserved group names as admins entered them (Group Management,
  /// Reserved group names). A service leaves alone what it manages under
  /// such a name on its own system, e.g. a Discord role of that name.
  /// Reservations ignore case, so compare both sides through
  /// aa::text::fold_case.
  virtual std::vector<std::string> reserved_group_names() = 0;
};

class AA_SDK_API Notifier {
 public:
  virtual ~Notifier() = default;
  /// Stores a notification for the user; shown in the top bar and the
  /// notifications page. `title` and `message` are plain text.
  virtual void notify_user(long long user_id, const std::string& title, const std::string& message,
                           NotificationLevel level = NotificationLevel::info) = 0;
  /// Stores a notification for every active superuser, for problems in
  /// background work that only an admin can fix. `title` and `message` are
  /// message ids (gettext_noop) of the core or plugin catalogs: each is
  /// translated into the superuser's language, then every "{name}" in it
  /// is replaced by its value from `values` (as aa::text::fill does).
  virtual void notify_superusers(const std::string& title, const std::string& message,
                                 const std::vector<std::pair<std::string, std::string>>& values,
                                 NotificationLevel level = NotificationLevel::warning) = 0;
};

/// The host services. One instance lives as long as the daemon; every member
/// is safe to use from any thread.
class AA_SDK_API Context {
 public:
  virtual ~Context() = default;

  virtual const Settings& settings() const = 0;
  /// The logger of a plugin or module: a child of the extensions logger.
  virtual Logger& logger(std::string_view name) = 0;
  virtual Database& database() = 0;
  virtual AuthApi& auth() = 0;
  virtual Notifier& notifier() = 0;
  virtual EsiClient& esi() = 0;
  /// The task queue; usable once the daemon, worker or beat has started.
  virtual TaskQueue& tasks() = 0;
};

}  // namespace aa
