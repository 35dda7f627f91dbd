#include "emulator.hpp"

#include <chrono>

namespace aa::discord_emulator {

std::int64_t system_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Emulator::Emulator(EmulatorConfig config_in, WorldData data, Clock clock_in)
    : config(std::move(config_in)), initial_world(data), world(std::move(data)), clock(std::move(clock_in)) {}

void Emulator::reset() {
    world = World(initial_world);
    limits.reset();
    faults.clear();
}

aa::emulator::Router make_router(Emulator& emulator) {
    aa::emulator::Router router;
    add_oauth_routes(router, emulator);
    add_guild_routes(router, emulator);
    add_control_routes(router, emulator);
    return router;
}

aa::emulator::Response handle_request(Emulator& emulator, const aa::emulator::Router& router,
                                      aa::emulator::Request& request) {
    std::lock_guard lock(emulator.mutex);
    auto response = router.dispatch(request);
    if (!request.route_name.empty() && request.route_name.rfind("_emulator", 0) != 0) {
        emulator.requests.count_request(request.route_name);
    }
    return response;
}

}  // namespace aa::discord_emulator
