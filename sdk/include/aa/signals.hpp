// Signals the host emits when account data changes. Core reacts first
// (state re-evaluation and the like), then plugins that subscribed.
#pragma once

#include <functional>
#include <string>

namespace aa {

class Context;

enum class Signal {
  user_groups_changed,
  permission_grant_changed,
  state_rules_changed,
  user_state_changed,
  main_character_changed,
  character_affiliation_changed,
  character_ownership_changed,
  user_activated,
  user_deactivated,
  user_deleted,
  /// A group was deleted; `group_id` names it, and no row has that id any
  /// more. Members also get user_groups_changed.
  group_deleted,
};

/// What changed. Ids that do not apply to a signal are 0.
struct SignalEvent {
  Signal signal;
  long long user_id = 0;
  long long character_id = 0;
  long long group_id = 0;
  long long state_id = 0;
  /// The permission whose grant changed, as "app_label.codename", for
  /// permission_grant_changed: the host emits one event per permission
  /// granted or revoked. Empty for other signals, and when the change is
  /// not tied to one permission. A subscriber then treats every permission
  /// of the user, group or state as possibly changed.
  /// @since SDK ABI 4
  std::string permission;
};

/// Called after the change is committed, on the thread that made it (a web
/// worker or a task worker). It must not block for long: anything that talks
/// to another system belongs in a task. Exceptions are logged and dropped.
using SignalHandler = std::function<void(Context&, const SignalEvent&)>;

}  // namespace aa
