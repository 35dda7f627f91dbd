// Cron expressions as crontab(5) writes them: "minute hour day-of-month
// month day-of-week". Each field is `*`, a number, a range `a-b`, a list
// `a,b`, or a step `*/n` or `a-b/n`. Months and weekdays may also be English
// three-letter names, and 0 and 7 are both Sunday. As in crontab, when both the
// day of month and the day of week are restricted, a day matching either
// one fires. Six fields put a seconds field first, as Quartz does; the
// tests use it to run schedules every few seconds. Times are UTC.
#pragma once

#include <bitset>
#include <string>

namespace aa::core {

class CronExpression {
 public:
  /// Parses `text`. Throws std::invalid_argument naming the field and the
  /// value that is wrong, e.g. "hour '25' is out of range 0-23".
  static CronExpression parse(const std::string& text);

  /// The first matching time strictly after `unix_seconds`, in Unix seconds.
  long long next_after(long long unix_seconds) const;
  bool matches(long long unix_seconds) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  bool has_seconds_ = false;
  std::bitset<60> seconds_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1-31
  std::bitset<13> months_;  // 1-12
  std::bitset<7> weekdays_;  // 0 = Sunday
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

}  // namespace aa::core
