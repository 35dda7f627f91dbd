#include "world.hpp"

#include <algorithm>

namespace aa::eve {

namespace {

std::optional<long long> corporation_alliance(const boost::json::object& corporation) {
    auto found = corporation.find("alliance_id");
    if (found == corporation.end() || !found->value().is_int64()) {
        return std::nullopt;
    }
    return found->value().as_int64();
}

// Reads an id or null. Returns false when the value is neither.
bool read_optional_id(const boost::json::value& value, std::optional<long long>& out) {
    if (value.is_null()) {
        out.reset();
        return true;
    }
    if (value.is_int64()) {
        out = value.as_int64();
        return true;
    }
    return false;
}

std::string name_of(const boost::json::object& body) {
    auto found = body.find("name");
    return found != body.end() && found->value().is_string() ? std::string(found->value().as_string())
                                                              : std::string();
}

}  // namespace

World::World(UniverseData initial) : initial_(std::move(initial)), characters_(initial_.characters) {}

std::optional<Character> World::find_character(long long id) const {
    std::lock_guard lock(mutex_);
    auto found = characters_.find(id);
    if (found == characters_.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::vector<Character> World::characters() const {
    std::lock_guard lock(mutex_);
    std::vector<Character> list;
    for (const auto& [id, character] : characters_) {
        list.push_back(character);
    }
    return list;
}

bool World::faction_exists(long long id) const {
    return std::any_of(initial_.factions.begin(), initial_.factions.end(),
                       [id](const boost::json::value& faction) {
                           return faction.as_object().at("faction_id").as_int64() == id;
                       });
}

std::string World::check_references(const Character& character) const {
    if (!initial_.corporations.contains(character.corporation_id)) {
        return "corporation_id " + std::to_string(character.corporation_id) + " is not a known corporation";
    }
    if (character.alliance_id && !initial_.alliances.contains(*character.alliance_id)) {
        return "alliance_id " + std::to_string(*character.alliance_id) + " is not a known alliance";
    }
    if (character.faction_id && !faction_exists(*character.faction_id)) {
        return "faction_id " + std::to_string(*character.faction_id) + " is not a known faction";
    }
    return {};
}

std::string World::update_character(long long id, const boost::json::object& changes) {
    std::lock_guard lock(mutex_);
    auto found = characters_.find(id);
    if (found == characters_.end()) {
        return "character " + std::to_string(id) + " does not exist";
    }
    Character updated = found->second;

    for (const auto& [key, value] : changes) {
        if (key == "owner_hash") {
            if (!value.is_string() || value.as_string().empty()) {
                return "owner_hash must be a non-empty string";
            }
            updated.owner_hash = std::string(value.as_string());
        } else if (key == "corporation_id") {
            if (!value.is_int64()) {
                return "corporation_id must be an integer";
            }
            updated.corporation_id = value.as_int64();
        } else if (key == "alliance_id") {
            if (!read_optional_id(value, updated.alliance_id)) {
                return "alliance_id must be an integer or null";
            }
        } else if (key == "faction_id") {
            if (!read_optional_id(value, updated.faction_id)) {
                return "faction_id must be an integer or null";
            }
        } else {
            return "unknown key \"" + std::string(key) +
                   "\"; expected owner_hash, corporation_id, alliance_id or faction_id";
        }
    }

    bool corporation_changed = updated.corporation_id != found->second.corporation_id;
    if (corporation_changed && !changes.contains("alliance_id")) {
        auto corporation = initial_.corporations.find(updated.corporation_id);
        updated.alliance_id = corporation == initial_.corporations.end()
                                  ? std::nullopt
                                  : corporation_alliance(corporation->second);
    }
    if (corporation_changed && !changes.contains("faction_id")) {
        updated.faction_id.reset();
    }

    auto error = check_references(updated);
    if (!error.empty()) {
        return error;
    }
    found->second = std::move(updated);
    return {};
}

std::string World::generate_characters(long long first_id, long long count) {
    if (first_id <= 0) {
        return "first_id must be a positive integer";
    }
    if (count < 1 || count > 1000000) {
        return "count must be between 1 and 1000000, not " + std::to_string(count);
    }
    std::lock_guard lock(mutex_);
    for (long long id = first_id; id < first_id + count; ++id) {
        if (characters_.contains(id)) {
            return "character " + std::to_string(id) + " already exists";
        }
    }
    std::vector<const Character*> templates;
    for (const auto& [id, character] : initial_.characters) {
        templates.push_back(&character);
    }
    if (templates.empty()) {
        return "there is no sample character to copy";
    }
    for (long long id = first_id; id < first_id + count; ++id) {
        Character character = *templates[static_cast<std::size_t>(id - first_id) % templates.size()];
        character.id = id;
        character.name = "Generated Pilot " + std::to_string(id);
        // 28 characters like EVE's owner hashes, unique per id.
        auto digits = std::to_string(id);
        character.owner_hash = "gen" + std::string(24 - digits.size(), '0') + digits + "=";
        character.profile["name"] = character.name;
        characters_[id] = std::move(character);
    }
    return {};
}

void World::reset() {
    std::lock_guard lock(mutex_);
    characters_ = initial_.characters;
}

std::optional<NamedEntity> World::find_name(long long id) const {
    if (auto character = find_character(id)) {
        return NamedEntity{"character", character->name};
    }
    if (auto corporation = initial_.corporations.find(id); corporation != initial_.corporations.end()) {
        return NamedEntity{"corporation", name_of(corporation->second)};
    }
    if (auto alliance = initial_.alliances.find(id); alliance != initial_.alliances.end()) {
        return NamedEntity{"alliance", name_of(alliance->second)};
    }
    for (const auto& faction : initial_.factions) {
        if (faction.as_object().at("faction_id").as_int64() == id) {
            return NamedEntity{"faction", name_of(faction.as_object())};
        }
    }
    return std::nullopt;
}

}  // namespace aa::eve
