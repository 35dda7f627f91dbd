// Read-only views of the core records that plugins see: users, characters,
// states and groups. They are plain values, copied out of the database.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace aa {

/// An EVE character with its affiliation as last read from ESI.
struct Character {
  long long character_id = 0;
  std::string character_name;
  long long corporation_id = 0;
  std::string corporation_name;
  std::string corporation_ticker;
  std::optional<long long> alliance_id;
  std::string alliance_name;
  std::string alliance_ticker;
  std::optional<long long> faction_id;
  std::string faction_name;

  /// True for characters in Doomheim, the corporation of deleted (biomassed) characters.
  bool is_biomassed() const { return corporation_id == kDoomheimCorporationId; }

  static constexpr long long kDoomheimCorporationId = 1000001;
};

/// A user account. `main_character` is empty for users who have not chosen one.
struct User {
  long long id = 0;
  std::string username;
  std::string email;
  bool is_active = true;
  bool is_staff = false;
  bool is_superuser = false;
  std::optional<Character> main_character;
  long long state_id = 0;
  std::string state_name;
  std::string language;
};

/// A group as a member sees it.
struct GroupRef {
  long long id = 0;
  std::string name;
};

}  // namespace aa
