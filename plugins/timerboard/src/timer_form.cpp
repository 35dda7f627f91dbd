#include "timer_form.hpp"

#include "eve_time.hpp"
#include "text.hpp"

namespace timerboard {
namespace {

constexpr long long kSecondsPerDay = 86400;

// Validation state shared by the field checks below.
class Validator {
 public:
  Validator(long long now, const Translate& translate) : now_(now), translate_(translate) {}

  // A single-line text field: trimmed, valid UTF-8, no control characters,
  // at most kMaxTextLength characters, and not empty when `missing` is set.
  std::string text(const std::string& field, std::string_view value, std::string_view missing = {}) {
    auto trimmed = trim(value);
    auto length = utf8_length(trimmed);
    if (!length) {
      fail(field, translate("This text is not valid UTF-8. Type it again."));
    } else if (has_control_characters(trimmed)) {
      fail(field, translate("Remove the line breaks, tabs and other control characters from this text."));
    } else if (*length > kMaxTextLength) {
      fail(field, fill(translate("Use at most {max} characters; this text has {count}."),
                                 {{"max", std::to_string(kMaxTextLength)}, {"count", std::to_string(*length)}}));
    } else if (trimmed.empty() && !missing.empty()) {
      fail(field, translate(missing));
    }
    return std::string(trimmed);
  }

  // A select field whose value must be one of `choices`.
  std::string choice(const std::string& field, std::string_view value, std::span<const Choice> choices,
                     std::string_view missing) {
    if (value.empty()) {
      fail(field, translate(missing));
    } else if (!find_choice(choices, value)) {
      fail(field, fill(translate("Select a valid choice. \"{value}\" is not one of the available choices."),
                                 {{"value", quoted(value)}}));
    }
    return std::string(value);
  }

  // A whole number from 0 to `max`, where blank counts as 0.
  long long count(const std::string& field, std::string_view value, long long max) {
    auto trimmed = trim(value);
    if (trimmed.empty()) return 0;

    long long number = 0;
    bool digits = trimmed.size() <= 9;
    for (char c : trimmed) {
      if (c < '0' || c > '9') digits = false;
      if (digits) number = number * 10 + (c - '0');
    }
    if (!digits || number > max) {
      fail(field, fill(translate("Enter a whole number from 0 to {max}; \"{value}\" is not one."),
                                 {{"max", std::to_string(max)}, {"value", quoted(trimmed)}}));
      return 0;
    }
    return number;
  }

  // The EVE time, from the absolute field or from the countdown fields.
  long long eve_time(const TimerFormInput& input) {
    auto absolute = trim(input.eve_time);
    bool relative =
        !trim(input.days_left).empty() || !trim(input.hours_left).empty() || !trim(input.minutes_left).empty();
    if (!absolute.empty() && relative) {
      fail("time", translate("Enter either the EVE time or the time remaining, not both."));
      return 0;
    }
    if (absolute.empty() && !relative) {
      fail("time", translate("Enter the EVE time or the time remaining."));
      return 0;
    }
    return relative ? eve_time_from_countdown(input) : eve_time_from_text(absolute);
  }

  FieldErrors take_errors() { return std::move(errors_); }

 private:
  std::string translate(std::string_view msgid) const { return translate_(msgid); }

  long long eve_time_from_countdown(const TimerFormInput& input) {
    long long days = count("days_left", input.days_left, kMaxDaysAhead);
    long long hours = count("hours_left", input.hours_left, 23);
    long long minutes = count("minutes_left", input.minutes_left, 59);
    long long ahead = days * kSecondsPerDay + hours * 3600 + minutes * 60;
    if (ahead > kMaxDaysAhead * kSecondsPerDay) fail("time", too_far_ahead());
    return now_ + ahead;
  }

  long long eve_time_from_text(std::string_view text) {
    auto parsed = parse_eve_time(text);
    if (!parsed) {
      fail("eve_time",
           fill(translate("\"{value}\" is not a valid EVE time. Enter it as YYYY-MM-DD HH:MM in UTC, "
                                    "for example {example}."),
                          {{"value", quoted(text)}, {"example", format_eve_time(now_)}}));
      return 0;
    }
    if (*parsed < kEarliestEveTime) {
      fail("eve_time", fill(translate("The EVE time {value} is before EVE Online existed. Check the year."),
                                      {{"value", format_eve_time(*parsed)}}));
    } else if (*parsed > now_ + kMaxDaysAhead * kSecondsPerDay) {
      fail("eve_time", too_far_ahead());
    }
    return *parsed;
  }

  std::string too_far_ahead() {
    return fill(translate("A timer can be at most {days} days ahead."),
                          {{"days", std::to_string(kMaxDaysAhead)}});
  }

  // A submitted value for quoting in a message; invalid UTF-8 is not echoed.
  static std::string quoted(std::string_view value) {
    if (!utf8_length(value)) return "?";
    return shorten(value);
  }

  // Keeps only the first problem of each field, because that is the one to fix first.
  void fail(const std::string& field, std::string message) { errors_.emplace(field, std::move(message)); }

  long long now_;
  const Translate& translate_;
  FieldErrors errors_;
};

}  // namespace

TimerFormResult validate_timer_form(const TimerFormInput& input, long long now, const Translate& translate) {
  Validator check(now, translate);
  Timer timer;
  timer.details = check.text("details", input.details, gettext_noop("Enter the details of the timer."));
  timer.system = check.text("system", input.system, gettext_noop("Enter the solar system."));
  timer.planet_moon = check.text("planet_moon", input.planet_moon);
  timer.structure =
      check.choice("structure", input.structure, structure_choices(), gettext_noop("Choose the structure type."));
  // Upstream's model defaults the timer type, and its older forms lack the
  // field, so an empty one means Not Specified rather than missing.
  timer.timer_type = std::string(kDefaultTimerType);
  if (!input.timer_type.empty()) {
    timer.timer_type = check.choice("timer_type", input.timer_type, timer_type_choices(), {});
  }
  timer.objective =
      check.choice("objective", input.objective, objective_choices(), gettext_noop("Choose the objective."));
  timer.eve_time = check.eve_time(input);
  timer.important = input.important;
  timer.corp_timer = input.corp_timer;

  TimerFormResult result;
  result.errors = check.take_errors();
  if (result.ok()) result.timer = std::move(timer);
  return result;
}

TimerFormInput form_input_from(const Timer& timer) {
  TimerFormInput input;
  input.details = timer.details;
  input.system = timer.system;
  input.planet_moon = timer.planet_moon;
  input.structure = timer.structure;
  input.timer_type = timer.timer_type;
  input.objective = timer.objective;
  // Seconds are shown only when the time has them, so saving the form
  // unchanged keeps the time exactly.
  input.eve_time = format_eve_time(timer.eve_time);
  long long seconds = (timer.eve_time % 60 + 60) % 60;
  if (seconds != 0) input.eve_time += (seconds < 10 ? ":0" : ":") + std::to_string(seconds);
  input.important = timer.important;
  input.corp_timer = timer.corp_timer;
  return input;
}

bool checkbox_checked(const std::optional<std::string>& value) {
  if (!value) return false;
  auto text = trim(*value);
  return !(text.empty() || text == "0" || text == "false" || text == "off");
}

}  // namespace timerboard
