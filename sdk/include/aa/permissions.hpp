// Permission declarations. A permission is `app_label.codename`, e.g.
// "auth.timer_management", with a readable name shown in the admin pages.
#pragma once

#include <string>

namespace aa {

struct PermissionDecl {
  std::string app_label;  ///< e.g. "auth"
  std::string codename;   ///< e.g. "timer_management"
  std::string name;       ///< e.g. "Can manage timerboard timers"

  std::string code() const { return app_label + "." + codename; }
};

}  // namespace aa
