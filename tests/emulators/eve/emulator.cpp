#include "emulator.hpp"

#include <chrono>

namespace aa::eve {

std::int64_t system_clock_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Emulator::Emulator(EmulatorConfig config_in, RsaKey key_in, UniverseData data, Clock clock_in)
    : config(std::move(config_in)),
      key(std::move(key_in)),
      world(std::move(data)),
      clock(std::move(clock_in)),
      started_at(clock()) {}

aa::emulator::Router make_router(Emulator& emulator) {
    aa::emulator::Router router;
    add_sso_routes(router, emulator);
    add_esi_routes(router, emulator);
    add_control_routes(router, emulator);
    return router;
}

aa::emulator::Response handle_request(Emulator& emulator, const aa::emulator::Router& router,
                                      aa::emulator::Request& request) {
    auto response = router.dispatch(request);
    if (!request.route_name.empty() && request.route_name.rfind("_emulator", 0) != 0) {
        emulator.requests.add(request.route_name);
    }
    return response;
}

}  // namespace aa::eve
