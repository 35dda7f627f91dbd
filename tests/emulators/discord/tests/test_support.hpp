// A Discord emulator driven in-process through its router, with a clock
// the test controls.
#pragma once

#include "emulator.hpp"
#include "in_process_request.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace aa::discord_emulator::testing {

// Ids in tests/data/discord/emulator_world.json and the recorded examples.
inline const std::string guild_id = "197038439483310086";
inline const std::string owner_id = "73193882359173120";
inline const std::string bot_id = "1100000000000000010";
inline const std::string bot_role_id = "1100000000000000011";       // managed, position 3
inline const std::string managed_role_id = "197150972374548480";    // "My Managed Role", position 2
inline const std::string plain_role_id = "41771983423143936";       // "WE DEM BOYZZ!!!!!!", position 1
inline const std::string moderators_role_id = "1100000000000000012";  // above the bot, position 4
inline const std::string nelly_id = "80351110224678912";
inline const std::string kaelen_id = "1100000000000000101";

const WorldData& test_world();

class TestEmulator {
public:
    TestEmulator();

    aa::emulator::Response send(const std::string& method, const std::string& target, const std::string& body = "",
                                std::map<std::string, std::string> headers = {},
                                const std::string& remote_address = "127.0.0.1");
    // A bot API call with the bot token and a JSON body.
    aa::emulator::Response bot(const std::string& method, const std::string& path, const std::string& body = "");

    // A user token through the control API.
    std::string user_token(const std::string& user_id, const std::string& scopes_json = R"(["identify","guilds.join"])");

    // Adds the user to the guild through PUT members with a fresh token.
    void join(const std::string& user_id, const std::string& extra_json = "");

    boost::json::object member(const std::string& user_id);

    std::int64_t now = 1'800'000'000'000;
    std::unique_ptr<Emulator> emulator;
    aa::emulator::Router router;
};

using aa::emulator::parse_body;

// The string inside a JSON string value, for comparisons with std::string.
std::string text(const boost::json::value& value);

}  // namespace aa::discord_emulator::testing
