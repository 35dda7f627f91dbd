// The Discord API emulator: its state, and the routes that serve it.
#pragma once

#include "fault_state.hpp"
#include "oauth_store.hpp"
#include "rate_limiter.hpp"
#include "request_log.hpp"
#include "world.hpp"

#include "http_message.hpp"
#include "router.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace aa::discord_emulator {

struct EmulatorConfig {
    std::string client_id = "aa-discord-client";
    std::string client_secret = "aa-discord-secret";
    std::string bot_token = "aa-discord-bot-token";
};

// Unix time in milliseconds; tests replace it to move time forward.
using Clock = std::function<std::int64_t()>;

std::int64_t system_clock_ms();

struct Emulator {
    Emulator(EmulatorConfig config_in, WorldData data, Clock clock_in);

    // Restores the loaded world, the default limits and clears faults.
    // Issued tokens keep working.
    void reset();

    EmulatorConfig config;
    WorldData initial_world;
    World world;
    OAuthStore oauth;
    RateLimiter limits;
    FaultState faults;
    RequestLog requests;
    Clock clock;
    // Every request runs under this lock, so the parts above need none.
    std::mutex mutex;
};

void add_oauth_routes(aa::emulator::Router& router, Emulator& emulator);
void add_guild_routes(aa::emulator::Router& router, Emulator& emulator);
void add_control_routes(aa::emulator::Router& router, Emulator& emulator);

// Builds the router with every route above.
aa::emulator::Router make_router(Emulator& emulator);

// Dispatches one request under the emulator's lock and counts it under its
// route name, except the control routes under /_emulator/.
aa::emulator::Response handle_request(Emulator& emulator, const aa::emulator::Router& router,
                                      aa::emulator::Request& request);

// The API prefixes every API route is served under: v10, v9 and none, which
// Alliance Auth uses.
inline constexpr const char* api_prefixes[] = {"/api/v10", "/api/v9", "/api"};

}  // namespace aa::discord_emulator
