// The timerboard pages: the list of timers, the add and edit forms, and
// deletion. The host checks the route permissions (auth.timer_view for the
// list, auth.timer_management for the rest) before a view runs; the views
// apply the corporation-only rule themselves.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "aa/http.hpp"
#include "aa/log.hpp"
#include "aa/template.hpp"
#include "timer.hpp"
#include "timer_form.hpp"

namespace timerboard {

inline constexpr const char* kViewPermission = "auth.timer_view";
inline constexpr const char* kManagePermission = "auth.timer_management";

/// Settings read once at start from plugins.timerboard in allianceauth.yaml.
struct Options {
  /// How many days back the list shows past timers.
  long long past_days = 30;
};

class TimerViews {
 public:
  TimerViews(Options options, aa::Logger& logger) : options_(options), logger_(logger) {}

  /// GET timers/: next and past timers.
  aa::Response list(aa::Request& request) const;
  /// GET shows an empty form; POST creates the timer.
  aa::Response add(aa::Request& request) const;
  /// GET shows the timer in the form; POST saves it.
  aa::Response edit(aa::Request& request) const;
  /// GET shows a confirmation page; POST deletes.
  aa::Response remove(aa::Request& request) const;

 private:
  enum class FormMode { add, edit };
  aa::Response render_form(aa::Request& request, FormMode mode, const Timer* timer, const TimerFormInput& input,
                           const FieldErrors& errors, int status) const;

  Options options_;
  aa::Logger& logger_;
};

// Helpers the views share.

/// The corporation of the user's main character, or 0 without one.
long long viewer_corporation(const aa::Request& request);
/// The <int:id> route parameter, or nothing when it does not fit a timer id.
std::optional<long long> timer_id(const aa::Request& request);
/// The translated label of `code`, or `code` itself when it is not a known
/// choice (data imported from an older upstream release can hold those).
std::string choice_label(const aa::Request& request, std::span<const Choice> choices, std::string_view code);
/// Sets the values one timer row shows (see timer_table.html).
void set_timer_values(aa::Request& request, const Timer& timer, bool can_manage, aa::TemplateData& row);
/// Adds the timerboard script to a page.
void add_timerboard_script(aa::TemplateData& data);
/// "user 12 (alice)" for log lines.
std::string describe_user(const aa::Request& request);

}  // namespace timerboard
