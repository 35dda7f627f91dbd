#include "eve/eve_entities.hpp"

#include <boost/json.hpp>

#include "auth/accounts.hpp"
#include "db/database.hpp"

namespace aa::core {
namespace {

namespace json = boost::json;

std::optional<long long> optional_id(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || !it->value().is_number()) return std::nullopt;
  return it->value().to_number<long long>();
}

std::string text(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  return it != object.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

// GETs `path` and parses a JSON object; a message on failure.
std::variant<json::object, std::string> get_object(EsiClient& esi, const std::string& path) {
  auto response = esi.get(path);
  if (!response.ok()) return "ESI " + path + " failed: " + response.error;
  try {
    auto value = json::parse(response.body);
    if (!value.is_object()) return "ESI " + path + " did not return a JSON object";
    return value.as_object();
  } catch (const std::exception& error) {
    return "ESI " + path + " returned invalid JSON: " + error.what();
  }
}

template <typename Fn>
void upsert(soci::session& sql, const std::string& table, const std::string& key_column, long long key, Fn&& write) {
  int exists = 0;
  sql << "SELECT COUNT(*) FROM " + table + " WHERE " + key_column + " = :id", soci::use(key), soci::into(exists);
  write(exists != 0);
}

}  // namespace

std::variant<CharacterAffiliation, std::string> fetch_affiliation(EsiClient& esi, long long character_id,
                                                                  const std::string& name) {
  CharacterAffiliation result;
  result.character.character_id = character_id;
  result.character.character_name = name;

  // Affiliation first: it reflects corporation changes sooner than the
  // character sheet.
  auto response = esi.post("/characters/affiliation/", "[" + std::to_string(character_id) + "]");
  if (!response.ok()) return "ESI /characters/affiliation/ failed: " + response.error;
  long long corporation_id = 0;
  try {
    auto list = json::parse(response.body);
    if (!list.is_array() || list.as_array().empty() || !list.as_array()[0].is_object()) {
      return std::string("ESI /characters/affiliation/ returned no entry for character ") + std::to_string(character_id);
    }
    const auto& entry = list.as_array()[0].as_object();
    corporation_id = optional_id(entry, "corporation_id").value_or(0);
    result.character.alliance_id = optional_id(entry, "alliance_id");
    result.character.faction_id = optional_id(entry, "faction_id");
  } catch (const std::exception& error) {
    return std::string("ESI /characters/affiliation/ returned invalid JSON: ") + error.what();
  }
  if (corporation_id == 0) return "ESI gave no corporation for character " + std::to_string(character_id);

  if (result.character.character_name.empty()) {
    auto sheet = get_object(esi, "/characters/" + std::to_string(character_id) + "/");
    if (auto* error = std::get_if<std::string>(&sheet)) return *error;
    result.character.character_name = text(std::get<json::object>(sheet), "name");
  }
  result.character.corporation_id = corporation_id;
  return complete_affiliation(esi, result.character);
}

std::variant<CharacterAffiliation, std::string> complete_affiliation(EsiClient& esi, const Character& known) {
  CharacterAffiliation result;
  result.character = known;
  long long corporation_id = known.corporation_id;
  auto corporation = get_object(esi, "/corporations/" + std::to_string(corporation_id) + "/");
  if (auto* error = std::get_if<std::string>(&corporation)) return *error;
  const auto& corp = std::get<json::object>(corporation);
  result.corporation.corporation_id = corporation_id;
  result.corporation.name = text(corp, "name");
  result.corporation.ticker = text(corp, "ticker");
  result.corporation.member_count = optional_id(corp, "member_count").value_or(0);
  result.corporation.ceo_id = optional_id(corp, "ceo_id");
  result.corporation.alliance_id = optional_id(corp, "alliance_id");
  result.corporation.faction_id = optional_id(corp, "faction_id");

  if (auto alliance_id = result.character.alliance_id) {
    auto alliance = get_object(esi, "/alliances/" + std::to_string(*alliance_id) + "/");
    if (auto* error = std::get_if<std::string>(&alliance)) return *error;
    const auto& object = std::get<json::object>(alliance);
    result.alliance = AllianceInfo{*alliance_id, text(object, "name"), text(object, "ticker"),
                                   optional_id(object, "executor_corporation_id")};
  }

  if (auto faction_id = result.character.faction_id) {
    auto factions = esi.get("/universe/factions/");
    if (!factions.ok()) return "ESI /universe/factions/ failed: " + factions.error;
    try {
      // The parsed list must outlive the loop: a range-for over
      // json::parse(...).as_array() would iterate a destroyed temporary.
      auto list = json::parse(factions.body);
      for (const auto& entry : list.as_array()) {
        const auto& object = entry.as_object();
        if (optional_id(object, "faction_id") == faction_id) result.faction = FactionInfo{*faction_id, text(object, "name")};
      }
    } catch (const std::exception& error) {
      return std::string("ESI /universe/factions/ returned invalid JSON: ") + error.what();
    }
    if (!result.faction) return "ESI /universe/factions/ does not list faction " + std::to_string(*faction_id);
  }

  auto& character = result.character;
  character.corporation_id = corporation_id;
  character.corporation_name = result.corporation.name;
  character.corporation_ticker = result.corporation.ticker;
  if (result.alliance) {
    character.alliance_name = result.alliance->name;
    character.alliance_ticker = result.alliance->ticker;
  }
  if (result.faction) character.faction_name = result.faction->name;
  return result;
}

void save_affiliation(soci::session& sql, const CharacterAffiliation& affiliation) {
  long long now = unix_now();

  if (const auto& faction = affiliation.faction) {
    upsert(sql, "eve_factions", "faction_id", faction->faction_id, [&](bool exists) {
      if (exists) {
        sql << "UPDATE eve_factions SET faction_name = :name WHERE faction_id = :id", soci::use(faction->name),
            soci::use(faction->faction_id);
      } else {
        sql << "INSERT INTO eve_factions (faction_id, faction_name) VALUES (:id, :name)", soci::use(faction->faction_id),
            soci::use(faction->name);
      }
    });
  }

  if (const auto& alliance = affiliation.alliance) {
    soci::indicator executor_ind = alliance->executor_corp_id ? soci::i_ok : soci::i_null;
    long long executor = alliance->executor_corp_id.value_or(0);
    upsert(sql, "eve_alliances", "alliance_id", alliance->alliance_id, [&](bool exists) {
      if (exists) {
        sql << "UPDATE eve_alliances SET alliance_name = :name, alliance_ticker = :ticker, "
               "executor_corp_id = :executor, updated_at = :now WHERE alliance_id = :id",
            soci::use(alliance->name), soci::use(alliance->ticker), soci::use(executor, executor_ind), soci::use(now),
            soci::use(alliance->alliance_id);
      } else {
        sql << "INSERT INTO eve_alliances (alliance_id, alliance_name, alliance_ticker, executor_corp_id, updated_at) "
               "VALUES (:id, :name, :ticker, :executor, :now)",
            soci::use(alliance->alliance_id), soci::use(alliance->name), soci::use(alliance->ticker),
            soci::use(executor, executor_ind), soci::use(now);
      }
    });
  }

  const auto& corp = affiliation.corporation;
  soci::indicator ceo_ind = corp.ceo_id ? soci::i_ok : soci::i_null;
  soci::indicator alliance_ind = corp.alliance_id ? soci::i_ok : soci::i_null;
  soci::indicator faction_ind = corp.faction_id ? soci::i_ok : soci::i_null;
  long long ceo = corp.ceo_id.value_or(0);
  long long alliance = corp.alliance_id.value_or(0);
  long long faction = corp.faction_id.value_or(0);
  upsert(sql, "eve_corporations", "corporation_id", corp.corporation_id, [&](bool exists) {
    if (exists) {
      sql << "UPDATE eve_corporations SET corporation_name = :name, corporation_ticker = :ticker, "
             "member_count = :members, ceo_id = :ceo, alliance_id = :alliance, faction_id = :faction, "
             "updated_at = :now WHERE corporation_id = :id",
          soci::use(corp.name), soci::use(corp.ticker), soci::use(corp.member_count), soci::use(ceo, ceo_ind),
          soci::use(alliance, alliance_ind), soci::use(faction, faction_ind), soci::use(now),
          soci::use(corp.corporation_id);
    } else {
      sql << "INSERT INTO eve_corporations (corporation_id, corporation_name, corporation_ticker, member_count, "
             "ceo_id, alliance_id, faction_id, updated_at) "
             "VALUES (:id, :name, :ticker, :members, :ceo, :alliance, :faction, :now)",
          soci::use(corp.corporation_id), soci::use(corp.name), soci::use(corp.ticker), soci::use(corp.member_count),
          soci::use(ceo, ceo_ind), soci::use(alliance, alliance_ind), soci::use(faction, faction_ind), soci::use(now);
    }
  });

  save_character(sql, affiliation.character);
}

}  // namespace aa::core
