// Characters, corporations, alliances and factions read from ESI and stored
// in the eve_* tables. Fetching and storing are separate steps, so an ESI
// failure leaves the database untouched.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <soci/soci.h>

#include "aa/esi.hpp"
#include "aa/models.hpp"

namespace aa::core {

struct CorporationInfo {
  long long corporation_id = 0;
  std::string name;
  std::string ticker;
  long long member_count = 0;
  std::optional<long long> ceo_id;
  std::optional<long long> alliance_id;
  std::optional<long long> faction_id;
};

struct AllianceInfo {
  long long alliance_id = 0;
  std::string name;
  std::string ticker;
  std::optional<long long> executor_corp_id;
};

struct FactionInfo {
  long long faction_id = 0;
  std::string name;
};

/// A character with everything needed to store its affiliation.
struct CharacterAffiliation {
  Character character;
  CorporationInfo corporation;
  std::optional<AllianceInfo> alliance;
  std::optional<FactionInfo> faction;
};

/// Reads the character's current corporation, alliance and faction from
/// ESI. `name` is the character name when the caller already knows it (from
/// the SSO token); otherwise it is read too. Returns a message naming the
/// failed call when ESI cannot answer.
std::variant<CharacterAffiliation, std::string> fetch_affiliation(EsiClient& esi, long long character_id,
                                                                  const std::string& name = {});

/// Reads the corporation, alliance and faction of a character whose id,
/// name and affiliation ids are known (from a batch affiliation call), and
/// fills in their names and tickers. GETs are served from the ESI cache
/// while fresh, so many characters of one corporation cost one call.
std::variant<CharacterAffiliation, std::string> complete_affiliation(EsiClient& esi, const Character& character);

/// Stores the character and its corporation, alliance and faction.
void save_affiliation(soci::session& sql, const CharacterAffiliation& affiliation);

}  // namespace aa::core
