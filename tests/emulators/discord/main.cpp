// aa-discord-emulator: Discord's OAuth2 and bot API on loopback for tests
// and demos.
#include "emulator.hpp"

#include "command_line.hpp"
#include "http_server.hpp"

#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view usage =
    "usage: aa-discord-emulator --data DIR [--port N] [--host ADDRESS]\n"
    "                           [--client-id ID] [--client-secret SECRET] [--bot-token TOKEN]\n"
    "\n"
    "  --data DIR            Discord test data directory (tests/data/discord in the source tree)\n"
    "  --port N              TCP port; 0 (the default) picks a free one\n"
    "  --host ADDRESS        address to bind (default 127.0.0.1)\n"
    "  --client-id ID        OAuth2 application id (default aa-discord-client)\n"
    "  --client-secret S     OAuth2 application secret (default aa-discord-secret)\n"
    "  --bot-token TOKEN     the bot's token (default aa-discord-bot-token)\n"
    "\n"
    "Prints \"LISTENING <port>\" on stdout once ready, then logs requests to stderr.\n";

struct Options {
    aa::emulator::CommonOptions common;
    aa::discord_emulator::EmulatorConfig config;
};

Options parse_options(int argc, char** argv) {
    Options options;
    options.common = aa::emulator::parse_command_line(
        argc, argv, "aa-discord-emulator", usage, [&options](std::string_view flag, const std::string& value) {
            if (flag == "--client-id") {
                options.config.client_id = value;
            } else if (flag == "--client-secret") {
                options.config.client_secret = value;
            } else if (flag == "--bot-token") {
                options.config.bot_token = value;
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
        aa::discord_emulator::Emulator emulator(options.config, aa::discord_emulator::load_world(options.common.data_dir),
                                                aa::discord_emulator::system_clock_ms);
        auto router = aa::discord_emulator::make_router(emulator);

        aa::emulator::ServerOptions server_options;
        server_options.host = options.common.host;
        server_options.port = options.common.port;
        aa::emulator::HttpServer server(server_options, [&](aa::emulator::Request& request) {
            return aa::discord_emulator::handle_request(emulator, router, request);
        });

        std::cout << "LISTENING " << server.port() << std::endl;
        std::cerr << "aa-discord-emulator: serving guild " << emulator.world.guild_id() << " on "
                  << options.common.host << ":" << server.port() << " with client id " << options.config.client_id << "\n";
        server.run();
        std::cerr << "aa-discord-emulator: stopped\n";
    } catch (const std::exception& error) {
        std::cerr << "aa-discord-emulator: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
