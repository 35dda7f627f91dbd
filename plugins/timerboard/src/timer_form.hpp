// The timer form: what a manager submits, its validation, and the values it
// shows again. Like upstream's TimerForm it takes the time as days, hours
// and minutes from now; it also takes an absolute EVE time instead.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "timer.hpp"

namespace timerboard {

/// Translates a message id; views pass Request::translate.
using Translate = std::function<std::string(std::string_view)>;

/// The furthest into the future a timer may be, in days. Upstream has no
/// limit; a year is far longer than any structure or moon timer runs.
inline constexpr long long kMaxDaysAhead = 365;
/// EVE Online's launch, 2003-05-06 00:00 UTC: no timer can be older.
inline constexpr long long kEarliestEveTime = 1052179200;

/// The submitted fields, as sent. Names match the form's input names.
struct TimerFormInput {
  std::string details;
  std::string system;
  std::string planet_moon;
  std::string structure;
  std::string timer_type;
  std::string objective;
  /// Absolute time, "YYYY-MM-DD HH:MM" in UTC.
  std::string eve_time;
  /// Relative time from now; used when any of the three is filled in.
  std::string days_left;
  std::string hours_left;
  std::string minutes_left;
  bool important = false;
  bool corp_timer = false;
};

/// Messages by field name. The name "time" is for a problem with the time
/// as a whole.
using FieldErrors = std::map<std::string, std::string>;

struct TimerFormResult {
  /// The editable fields, set only when `errors` is empty.
  Timer timer;
  FieldErrors errors;

  bool ok() const { return errors.empty(); }
};

/// Validates `input` at time `now` (Unix seconds). Every field is checked,
/// so the result lists each problem at once. Messages are translated with
/// `translate` and quote the offending value.
TimerFormResult validate_timer_form(const TimerFormInput& input, long long now, const Translate& translate);

/// The form's values for editing `timer`: its EVE time as absolute time.
TimerFormInput form_input_from(const Timer& timer);

/// Reads a checkbox the way Django's BooleanField does: absent, empty,
/// "0", "false" and "off" are false; anything else is true.
bool checkbox_checked(const std::optional<std::string>& value);

}  // namespace timerboard
