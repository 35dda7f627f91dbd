#include "tasks/cron.hpp"

#include <array>
#include <charconv>
#include <ctime>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace aa::core {
namespace {

struct FieldSpec {
  const char* name;
  int min;
  int max;
  const char* const* names;  // Names for min, min+1, ...; null when numbers only.
};

constexpr const char* kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr const char* kWeekdayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

int parse_number(const FieldSpec& spec, const std::string& text, int max) {
  if (spec.names) {
    std::string lower;
    for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    int count = spec.max - spec.min + 1;
    if (spec.max == 7) count = 7;  // Day of week: names for 0-6 only.
    for (int i = 0; i < count; ++i) {
      if (lower == spec.names[i]) return spec.min + i;
    }
  }
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    throw std::invalid_argument(std::string(spec.name) + " '" + text + "' is not a number");
  }
  if (value < spec.min || value > max) {
    throw std::invalid_argument(std::string(spec.name) + " '" + text + "' is out of range " +
                                std::to_string(spec.min) + "-" + std::to_string(max));
  }
  return value;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(text);
  while (std::getline(stream, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

// Sets the bits a field selects.
template <std::size_t N>
void parse_field(const FieldSpec& spec, const std::string& text, std::bitset<N>& bits) {
  if (text.empty()) throw std::invalid_argument(std::string(spec.name) + " is empty");
  for (const auto& item : split(text, ',')) {
    if (item.empty()) throw std::invalid_argument(std::string(spec.name) + " '" + text + "' has an empty list item");
    std::string range = item;
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string::npos) {
      range = item.substr(0, slash);
      auto step_text = item.substr(slash + 1);
      auto [end, error] = std::from_chars(step_text.data(), step_text.data() + step_text.size(), step);
      if (step_text.empty() || error != std::errc() || end != step_text.data() + step_text.size() || step < 1) {
        throw std::invalid_argument(std::string(spec.name) + " step '" + step_text + "' is not a positive number");
      }
    }
    int first = spec.min;
    int last = spec.max;
    if (range != "*") {
      auto dash = range.find('-');
      if (dash == std::string::npos) {
        first = parse_number(spec, range, spec.max);
        // "5/15" means from 5 to the end in steps of 15, as in Vixie cron.
        last = item.find('/') != std::string::npos ? spec.max : first;
      } else {
        first = parse_number(spec, range.substr(0, dash), spec.max);
        last = parse_number(spec, range.substr(dash + 1), spec.max);
        if (last < first) {
          throw std::invalid_argument(std::string(spec.name) + " range '" + range + "' ends before it starts");
        }
      }
    }
    for (int value = first; value <= last; value += step) {
      // Day of week 7 is Sunday too.
      std::size_t bit = (N == 7 && value == 7) ? 0 : static_cast<std::size_t>(value);
      bits.set(bit);
    }
  }
}

}  // namespace

CronExpression CronExpression::parse(const std::string& text) {
  std::vector<std::string> fields;
  std::istringstream stream(text);
  std::string field;
  while (stream >> field) fields.push_back(field);
  if (fields.size() != 5 && fields.size() != 6) {
    throw std::invalid_argument("cron expression '" + text + "' has " + std::to_string(fields.size()) +
                                " fields; expected 5 (minute hour day-of-month month day-of-week)");
  }

  CronExpression cron;
  cron.text_ = text;
  std::size_t index = 0;
  if (fields.size() == 6) {
    cron.has_seconds_ = true;
    parse_field(FieldSpec{"second", 0, 59, nullptr}, fields[index++], cron.seconds_);
  } else {
    cron.seconds_.set(0);
  }
  parse_field(FieldSpec{"minute", 0, 59, nullptr}, fields[index++], cron.minutes_);
  parse_field(FieldSpec{"hour", 0, 23, nullptr}, fields[index++], cron.hours_);
  const auto& day_text = fields[index++];
  parse_field(FieldSpec{"day of month", 1, 31, nullptr}, day_text, cron.days_);
  parse_field(FieldSpec{"month", 1, 12, kMonthNames}, fields[index++], cron.months_);
  const auto& weekday_text = fields[index++];
  parse_field(FieldSpec{"day of week", 0, 7, kWeekdayNames}, weekday_text, cron.weekdays_);
  // crontab(5): a field that starts with "*" leaves the day unrestricted.
  cron.days_restricted_ = day_text[0] != '*';
  cron.weekdays_restricted_ = weekday_text[0] != '*';
  return cron;
}

bool CronExpression::matches(long long unix_seconds) const {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  if (!seconds_.test(static_cast<std::size_t>(tm.tm_sec))) return false;
  if (!minutes_.test(static_cast<std::size_t>(tm.tm_min))) return false;
  if (!hours_.test(static_cast<std::size_t>(tm.tm_hour))) return false;
  if (!months_.test(static_cast<std::size_t>(tm.tm_mon + 1))) return false;
  bool day = days_.test(static_cast<std::size_t>(tm.tm_mday));
  bool weekday = weekdays_.test(static_cast<std::size_t>(tm.tm_wday));
  if (days_restricted_ && weekdays_restricted_) return day || weekday;
  return day && weekday;
}

long long CronExpression::next_after(long long unix_seconds) const {
  // Walk forward by the coarsest unit that cannot skip a match: whole days
  // while the day does not match, hours, then minutes, then seconds.
  // An expression that never matches (31 February) stops after 5 years.
  long long t = unix_seconds + 1;
  const long long limit = unix_seconds + 5LL * 366 * 86400;
  while (t <= limit) {
    std::time_t time = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&time, &tm);
    bool day = days_.test(static_cast<std::size_t>(tm.tm_mday));
    bool weekday = weekdays_.test(static_cast<std::size_t>(tm.tm_wday));
    bool day_ok = (days_restricted_ && weekdays_restricted_) ? (day || weekday) : (day && weekday);
    if (!months_.test(static_cast<std::size_t>(tm.tm_mon + 1)) || !day_ok) {
      t += 86400 - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
      continue;
    }
    if (!hours_.test(static_cast<std::size_t>(tm.tm_hour))) {
      t += 3600 - (tm.tm_min * 60 + tm.tm_sec);
      continue;
    }
    if (!minutes_.test(static_cast<std::size_t>(tm.tm_min))) {
      t += 60 - tm.tm_sec;
      continue;
    }
    if (!seconds_.test(static_cast<std::size_t>(tm.tm_sec))) {
      ++t;
      continue;
    }
    return t;
  }
  throw std::invalid_argument("cron expression '" + text_ + "' never matches");
}

}  // namespace aa::core
