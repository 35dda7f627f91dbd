// An emulator driven in-process through its router, with a clock the test
// controls.
#pragma once

#include "emulator.hpp"
#include "in_process_request.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace aa::eve::testing {

// One RSA key for the whole test run, because generating one takes a while.
const RsaKey& shared_test_key();

const UniverseData& test_universe();

inline constexpr long long kaelen = 2112000001;        // KarmaFleet, Goonswarm Federation
inline constexpr long long tovin = 2112000002;         // Omicron Project, Get Off My Lawn
inline constexpr long long ilse = 2112000003;          // C C P, C C P Alliance
inline constexpr long long mira = 2112000004;          // Mira O'Sullivan, KarmaFleet
inline constexpr long long oren = 2112000005;          // School of Applied Knowledge
inline constexpr long long dagny = 2112000006;         // Tribal Liberation Force, militia
inline constexpr long long bram = 2112000007;          // Doomheim

class TestEmulator {
public:
    TestEmulator();

    aa::emulator::Response send(const std::string& method, const std::string& target,
                                const std::string& body = "",
                                const std::map<std::string, std::string>& headers = {},
                                const std::string& remote_address = "127.0.0.1");

    // POST a form to the token endpoint with Basic auth of the default client.
    aa::emulator::Response post_token_form(const std::string& form_body,
                                           const std::string& basic_credentials =
                                               "aa-demo-client:aa-demo-secret");

    // Runs authorize for the character and returns the code from the
    // redirect. Fails the test when there is no redirect.
    std::string authorize(long long character_id, const std::string& scope = "publicData");

    // Exchanges a code and returns the parsed token response.
    boost::json::object exchange(const std::string& code);

    std::int64_t now = 1'800'000'000;
    std::unique_ptr<Emulator> emulator;
    aa::emulator::Router router;
};

using aa::emulator::parse_body;

}  // namespace aa::eve::testing
