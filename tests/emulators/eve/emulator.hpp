// The EVE SSO and ESI emulator: its state, and the routes that serve it.
#pragma once

#include "error_limiter.hpp"
#include "fault_state.hpp"
#include "grant_store.hpp"
#include "request_counter.hpp"
#include "rsa_key.hpp"
#include "world.hpp"

#include "http_message.hpp"
#include "router.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace aa::eve {

struct EmulatorConfig {
    std::string client_id = "aa-demo-client";
    std::string client_secret = "aa-demo-secret";
    std::string base_url;  // "http://127.0.0.1:PORT", written into the SSO metadata
};

// Unix time in seconds; tests replace it to move time forward.
using Clock = std::function<std::int64_t()>;

std::int64_t system_clock_seconds();

struct Emulator {
    Emulator(EmulatorConfig config_in, RsaKey key_in, UniverseData data, Clock clock_in);

    EmulatorConfig config;
    RsaKey key;
    World world;
    GrantStore grants;
    FaultState faults;
    ErrorLimiter error_limit;
    RequestCounter requests;
    Clock clock;
    std::int64_t started_at;  // Last-Modified of every ESI body
};

void add_sso_routes(aa::emulator::Router& router, Emulator& emulator);
void add_esi_routes(aa::emulator::Router& router, Emulator& emulator);
void add_control_routes(aa::emulator::Router& router, Emulator& emulator);

// Builds the router with every route above.
aa::emulator::Router make_router(Emulator& emulator);

// Dispatches one request and counts it under its route name, except the
// control routes under /_emulator/.
aa::emulator::Response handle_request(Emulator& emulator, const aa::emulator::Router& router,
                                      aa::emulator::Request& request);

}  // namespace aa::eve
