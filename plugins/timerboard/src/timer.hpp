// The timer model: one structure timer, and the fixed choices for its
// structure, timer type and objective. Codes are stored in the database and
// never change; labels are message ids, translated when shown. The codes are
// the values upstream Alliance Auth stores, so its data maps one to one.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace timerboard {

/// Maximum length of the details, system and planet/moon texts, in
/// characters (Unicode code points), as upstream's CharField(max_length=254).
inline constexpr std::size_t kMaxTextLength = 254;

/// One entry of a choice list.
struct Choice {
  std::string_view code;   ///< Stored in the database.
  std::string_view label;  ///< Message id shown to users.
};

std::span<const Choice> structure_choices();
std::span<const Choice> timer_type_choices();
std::span<const Choice> objective_choices();

/// The choice with `code` in `choices`, if there is one. Codes are compared
/// exactly (case-sensitive).
std::optional<Choice> find_choice(std::span<const Choice> choices, std::string_view code);

inline constexpr std::string_view kDefaultStructure = "Other";
inline constexpr std::string_view kDefaultTimerType = "UNSPECIFIED";
inline constexpr std::string_view kDefaultObjective = "Neutral";

/// A structure timer. `eve_time` and the bookkeeping times are Unix seconds
/// in UTC (EVE time is UTC).
struct Timer {
  long long id = 0;

  // Fields a manager edits.
  std::string details;
  std::string system;
  std::string planet_moon;
  std::string structure{kDefaultStructure};
  std::string timer_type{kDefaultTimerType};
  std::string objective{kDefaultObjective};
  long long eve_time = 0;
  bool important = false;
  /// Visible only to users whose main character is in `corporation_id`.
  bool corp_timer = false;

  // The creator, copied from their main character at creation. The user id
  // becomes empty when that user is deleted.
  std::optional<long long> user_id;
  long long character_id = 0;
  std::string character_name;
  long long corporation_id = 0;
  std::string corporation_name;

  long long created_at = 0;
  long long updated_at = 0;
};

}  // namespace timerboard
