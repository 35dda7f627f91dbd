#include "universe_data.hpp"

#include "csv_reader.hpp"

#include <boost/json/parse.hpp>

#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

namespace aa::eve {

namespace fs = std::filesystem;

namespace {

boost::json::value read_json_file(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream text;
    text << file.rdbuf();

    boost::system::error_code code;
    auto value = boost::json::parse(text.str(), code);
    if (code) {
        throw std::runtime_error(path.string() + " is not valid JSON: " + code.message());
    }
    return value;
}

boost::json::object read_json_object(const fs::path& path) {
    auto value = read_json_file(path);
    if (!value.is_object()) {
        throw std::runtime_error(path.string() + " must contain a JSON object");
    }
    return value.as_object();
}

// Returns a column of a CSV row. Throws std::runtime_error naming the file
// when the header lacks the column.
const std::string& csv_column(const CsvRow& row, const char* name, const fs::path& file) {
    auto found = row.find(name);
    if (found == row.end()) {
        throw std::runtime_error(file.string() + ": missing column " + name);
    }
    return found->second;
}

// Parses an id column of an SDE CSV file. Throws std::runtime_error naming
// the file and the value when it is not a whole number.
long long csv_id(const std::string& text, const fs::path& file) {
    std::size_t used = 0;
    long long value = 0;
    try {
        value = std::stoll(text, &used);
    } catch (const std::logic_error&) {
        used = 0;
    }
    if (used == 0 || used != text.size()) {
        throw std::runtime_error(file.string() + ": invalid id '" + text + "'");
    }
    return value;
}

std::optional<long long> optional_csv_id(const std::string& text, const fs::path& file) {
    if (text.empty()) {
        return std::nullopt;
    }
    return csv_id(text, file);
}

long long required_int(const boost::json::object& object, std::string_view key,
                       const std::string& where) {
    auto found = object.find(key);
    if (found == object.end() || !found->value().is_int64()) {
        throw std::runtime_error(where + ": \"" + std::string(key) + "\" must be an integer");
    }
    return found->value().as_int64();
}

std::string required_string(const boost::json::object& object, std::string_view key,
                            const std::string& where) {
    auto found = object.find(key);
    if (found == object.end() || !found->value().is_string()) {
        throw std::runtime_error(where + ": \"" + std::string(key) + "\" must be a string");
    }
    return std::string(found->value().as_string());
}

std::optional<long long> optional_int(const boost::json::object& object, std::string_view key,
                                      const std::string& where) {
    if (!object.contains(key)) {
        return std::nullopt;
    }
    return required_int(object, key, where);
}

// Reads recorded ESI bodies named "<operation>.<slug>_<id>.json".
void load_recorded_bodies(const fs::path& esi_dir, UniverseData& data) {
    static const std::regex pattern(
        R"(^(corporations_corporation_id|alliances_alliance_id)\..*_([0-9]+)\.json$)");

    for (const auto& entry : fs::directory_iterator(esi_dir)) {
        auto file_name = entry.path().filename().string();
        std::smatch match;
        if (!std::regex_match(file_name, match, pattern)) {
            continue;
        }
        auto id = std::stoll(match[2].str());
        auto body = read_json_object(entry.path());
        auto& target = match[1].str() == "corporations_corporation_id" ? data.corporations
                                                                        : data.alliances;
        target[id] = std::move(body);
    }
}

void load_npc_corporations(const fs::path& csv_path, UniverseData& data) {
    for (const auto& row : read_csv_file(csv_path)) {
        auto id = csv_id(csv_column(row, "corporationID", csv_path), csv_path);
        // A recorded body, loaded before, wins over the one built here.
        data.corporations.try_emplace(
            id, make_npc_corporation(csv_column(row, "corporationName", csv_path), optional_csv_id(csv_column(row, "factionID", csv_path), csv_path)));
    }
}

void load_factions(const fs::path& sde_dir, UniverseData& data) {
    auto details_path = sde_dir / "faction_details.csv";
    std::map<long long, CsvRow> details;
    for (auto& row : read_csv_file(details_path)) {
        details[csv_id(csv_column(row, "factionID", details_path), details_path)] = row;
    }

    auto factions_path = sde_dir / "factions.csv";
    for (const auto& row : read_csv_file(factions_path)) {
        auto id = csv_id(csv_column(row, "factionID", factions_path), factions_path);
        boost::json::object faction;
        faction["faction_id"] = id;
        faction["name"] = csv_column(row, "factionName", factions_path);
        if (auto corporation = optional_csv_id(csv_column(row, "corporationID", factions_path), factions_path)) {
            faction["corporation_id"] = *corporation;
        }
        if (auto militia = optional_csv_id(csv_column(row, "militiaCorporationID", factions_path), factions_path)) {
            faction["militia_corporation_id"] = *militia;
        }
        if (auto system = optional_csv_id(csv_column(row, "solarSystemID", factions_path), factions_path)) {
            faction["solar_system_id"] = *system;
        }

        auto detail = details.find(id);
        faction["description"] = detail == details.end() ? "" : csv_column(detail->second, "description", details_path);
        double size_factor = 0.0;
        if (detail != details.end()) {
            try {
                size_factor = std::stod(csv_column(detail->second, "sizeFactor", details_path));
            } catch (const std::logic_error&) {
                throw std::runtime_error(details_path.string() + ": invalid sizeFactor '" +
                                         csv_column(detail->second, "sizeFactor", details_path) + "' for faction " +
                                         std::to_string(id));
            }
        }
        faction["size_factor"] = size_factor;

        // NOTE: no source at hand has these three values for every faction,
        // so they are fixed here; tests must not rely on them.
        faction["is_unique"] = true;
        faction["station_count"] = 0;
        faction["station_system_count"] = 0;
        data.factions.push_back(std::move(faction));
    }
}

Character parse_character(const boost::json::object& object, const std::string& where) {
    Character character;
    character.id = required_int(object, "character_id", where);
    character.name = required_string(object, "name", where);
    character.owner_hash = required_string(object, "owner_hash", where);
    character.corporation_id = required_int(object, "corporation_id", where);
    character.alliance_id = optional_int(object, "alliance_id", where);
    character.faction_id = optional_int(object, "faction_id", where);

    for (const auto* key : {"birthday", "bloodline_id", "race_id", "gender", "description",
                            "security_status", "title"}) {
        if (auto found = object.find(key); found != object.end()) {
            character.profile[key] = found->value();
        }
    }
    if (auto found = object.find("location"); found != object.end() && found->value().is_object()) {
        character.location = found->value().as_object();
    } else {
        throw std::runtime_error(where + ": \"location\" must be an object with solar_system_id");
    }
    return character;
}

void check_character_references(const Character& character, const UniverseData& data,
                                const std::string& where) {
    if (!data.corporations.contains(character.corporation_id)) {
        throw std::runtime_error(where + ": corporation " + std::to_string(character.corporation_id) +
                                 " has no ESI body in esi/ or sde/npc_corporations.csv");
    }
    if (character.alliance_id && !data.alliances.contains(*character.alliance_id)) {
        throw std::runtime_error(where + ": alliance " + std::to_string(*character.alliance_id) +
                                 " has no ESI body in esi/");
    }
}

void load_characters(const fs::path& path, UniverseData& data) {
    auto root = read_json_object(path);
    auto list = root.find("characters");
    if (list == root.end() || !list->value().is_array()) {
        throw std::runtime_error(path.string() + ": \"characters\" must be an array");
    }

    std::size_t index = 0;
    for (const auto& item : list->value().as_array()) {
        auto where = path.string() + " characters[" + std::to_string(index++) + "]";
        if (!item.is_object()) {
            throw std::runtime_error(where + " must be an object");
        }
        auto character = parse_character(item.as_object(), where);
        check_character_references(character, data, where);
        data.characters[character.id] = std::move(character);
    }
}

void load_sso_documents(const fs::path& sso_dir, UniverseData& data) {
    data.sso_metadata = read_json_object(sso_dir / "oauth-authorization-server.json");

    auto jwks = read_json_object(sso_dir / "jwks.json");
    auto keys = jwks.find("keys");
    if (keys == jwks.end() || !keys->value().is_array()) {
        throw std::runtime_error((sso_dir / "jwks.json").string() + ": \"keys\" must be an array");
    }
    for (const auto& key : keys->value().as_array()) {
        if (key.is_object() && key.as_object().contains("kty") &&
            key.as_object().at("kty") != "RSA") {
            data.jwks_extra_keys.push_back(key);
        }
    }
}

}  // namespace

std::string make_npc_ticker(const std::string& name) {
    std::string ticker;
    bool word_start = true;
    for (char c : name) {
        bool is_word_char = std::isalnum(static_cast<unsigned char>(c)) != 0;
        if (is_word_char && word_start && ticker.size() < 5) {
            ticker += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        word_start = !is_word_char && c != '\'';
    }
    return ticker;
}

boost::json::object make_npc_corporation(const std::string& name,
                                         std::optional<long long> faction_id) {
    // NOTE: the SDE subset has no ticker, CEO or member count, so these are
    // made up. ESI names creator 1 ("EVE System") for NPC corporations.
    boost::json::object body;
    body["ceo_id"] = 1;
    body["creator_id"] = 1;
    body["description"] = "";
    if (faction_id) {
        body["faction_id"] = *faction_id;
    }
    body["member_count"] = 0;
    body["name"] = name;
    body["shares"] = 0;
    body["tax_rate"] = 0.0;
    body["ticker"] = make_npc_ticker(name);
    body["url"] = "";
    return body;
}

boost::json::object character_public_info(const Character& character) {
    boost::json::object body = character.profile;
    body["name"] = character.name;
    body["corporation_id"] = character.corporation_id;
    if (character.alliance_id) {
        body["alliance_id"] = *character.alliance_id;
    }
    if (character.faction_id) {
        body["faction_id"] = *character.faction_id;
    }
    return body;
}

UniverseData load_universe(const fs::path& data_dir) {
    if (!fs::is_directory(data_dir)) {
        throw std::runtime_error("data directory " + data_dir.string() + " does not exist");
    }

    UniverseData data;
    load_recorded_bodies(data_dir / "esi", data);
    load_npc_corporations(data_dir / "sde" / "npc_corporations.csv", data);
    load_factions(data_dir / "sde", data);
    data.status = read_json_object(data_dir / "esi" / "status.json");
    load_sso_documents(data_dir / "sso", data);
    load_characters(data_dir / "emulator" / "characters.json", data);
    return data;
}

}  // namespace aa::eve
