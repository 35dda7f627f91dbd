// aa-eve-emulator: EVE SSO v2 and ESI on loopback for tests and demos.
#include "emulator.hpp"

#include "command_line.hpp"
#include "http_server.hpp"

#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view usage =
    "usage: aa-eve-emulator --data DIR [--port N] [--host ADDRESS]\n"
    "                       [--client-id ID --client-secret SECRET] [--key PEM]\n"
    "\n"
    "  --data DIR            test data directory (tests/data in the source tree)\n"
    "  --port N              TCP port; 0 (the default) picks a free one\n"
    "  --host ADDRESS        address to bind (default 127.0.0.1)\n"
    "  --client-id ID        SSO application client id (default aa-demo-client)\n"
    "  --client-secret S     SSO application secret (default aa-demo-secret)\n"
    "  --key PEM             RSA private key that signs tokens (default: a new\n"
    "                        2048-bit key each start)\n"
    "\n"
    "Prints \"LISTENING <port>\" on stdout once ready, then logs requests to stderr.\n";

struct Options {
    aa::emulator::CommonOptions common;
    aa::eve::EmulatorConfig config;
    std::optional<std::filesystem::path> key_file;
};

Options parse_options(int argc, char** argv) {
    Options options;
    options.common = aa::emulator::parse_command_line(
        argc, argv, "aa-eve-emulator", usage, [&options](std::string_view flag, const std::string& value) {
            if (flag == "--client-id") {
                options.config.client_id = value;
            } else if (flag == "--client-secret") {
                options.config.client_secret = value;
            } else if (flag == "--key") {
                options.key_file = value;
            } else {
                return false;
            }
            return true;
        });
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    auto options = parse_options(argc, argv);

    try {
        auto data = aa::eve::load_universe(options.common.data_dir);
        auto key = options.key_file ? aa::eve::RsaKey::load_pem_file(*options.key_file)
                                    : aa::eve::RsaKey::generate(2048);

        aa::eve::Emulator* emulator_ptr = nullptr;
        aa::emulator::Router router;
        aa::emulator::ServerOptions server_options;
        server_options.host = options.common.host;
        server_options.port = options.common.port;
        aa::emulator::HttpServer server(server_options, [&](aa::emulator::Request& request) {
            return aa::eve::handle_request(*emulator_ptr, router, request);
        });

        // The base URL needs the bound port, so the emulator is built after
        // the server has bound and before it serves anything.
        options.config.base_url = aa::emulator::base_url(options.common.host, server.port());
        aa::eve::Emulator emulator(options.config, std::move(key), std::move(data),
                                   aa::eve::system_clock_seconds);
        emulator_ptr = &emulator;
        router = aa::eve::make_router(emulator);

        std::cout << "LISTENING " << server.port() << std::endl;
        std::cerr << "aa-eve-emulator: serving SSO and ESI at " << options.config.base_url
                  << " with client id " << options.config.client_id << " and "
                  << emulator.world.characters().size() << " characters\n";
        server.run();
        std::cerr << "aa-eve-emulator: stopped\n";
    } catch (const std::exception& error) {
        std::cerr << "aa-eve-emulator: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
