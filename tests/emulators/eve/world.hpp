// The emulator's live game state: the loaded data plus the sample
// characters as the control API has changed them. Thread-safe.
#pragma once

#include "universe_data.hpp"

#include <boost/json/object.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace aa::eve {

struct NamedEntity {
    std::string category;  // as /universe/names/ writes it: "character", "corporation", ...
    std::string name;
};

class World {
public:
    explicit World(UniverseData initial);

    // Corporations, alliances, factions and the SSO documents; these never
    // change after loading.
    const UniverseData& data() const { return initial_; }

    std::optional<Character> find_character(long long id) const;
    std::vector<Character> characters() const;

    // Applies a control request body. Accepted keys: "owner_hash",
    // "corporation_id", "alliance_id", "faction_id"; null clears the last
    // two. When the corporation changes and "alliance_id" is absent, the
    // character takes the new corporation's alliance, and "faction_id"
    // defaults to none. Returns "" on success, else an error naming the
    // bad key or value; nothing changes on error.
    std::string update_character(long long id, const boost::json::object& changes);

    // Adds `count` made-up characters with ids first_id, first_id + 1, ...,
    // named "Generated Pilot <id>", spread over the corporations of the
    // sample characters, for load tests. Returns "" on success, else an
    // error naming the bad value; nothing changes on error. reset() removes them.
    std::string generate_characters(long long first_id, long long count);

    // Restores every character as loaded.
    void reset();

    std::optional<NamedEntity> find_name(long long id) const;

private:
    std::string check_references(const Character& character) const;
    bool faction_exists(long long id) const;

    UniverseData initial_;
    mutable std::mutex mutex_;
    std::map<long long, Character> characters_;
};

}  // namespace aa::eve
