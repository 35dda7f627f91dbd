// The data the emulator serves, loaded from the test data directory:
// recorded ESI bodies, SDE tables, the captured SSO documents and the
// sample characters.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace aa::eve {

struct Character {
    long long id = 0;
    std::string name;
    std::string owner_hash;
    long long corporation_id = 0;
    std::optional<long long> alliance_id;
    std::optional<long long> faction_id;  // set for factional warfare members only

    // ESI fields that the emulator never changes: birthday, bloodline_id,
    // race_id, gender, description, security_status, title.
    boost::json::object profile;

    // Body of /characters/{id}/location/.
    boost::json::object location;
};

struct UniverseData {
    std::map<long long, Character> characters;
    std::map<long long, boost::json::object> corporations;  // ESI bodies
    std::map<long long, boost::json::object> alliances;     // ESI bodies
    boost::json::array factions;                            // /universe/factions/ body
    boost::json::object status;                             // /status/ body
    boost::json::object sso_metadata;                       // as captured from EVE
    boost::json::array jwks_extra_keys;                     // captured keys other than RSA
};

// Loads <data_dir>/emulator/characters.json, esi/*.json, sde/*.csv and
// sso/*.json. Throws std::runtime_error naming the file and the value when
// a file is missing or inconsistent (for example a character whose
// corporation has no body).
UniverseData load_universe(const std::filesystem::path& data_dir);

// Returns the ESI body of GET /characters/{id}/.
boost::json::object character_public_info(const Character& character);

// Returns the ESI body of an NPC corporation that has no recorded body,
// built from its SDE row. Exposed for tests.
boost::json::object make_npc_corporation(const std::string& name,
                                         std::optional<long long> faction_id);

// Returns an uppercase ticker made from the name's initials, at most 5
// characters: "School of Applied Knowledge" gives "SOAK".
std::string make_npc_ticker(const std::string& name);

}  // namespace aa::eve
