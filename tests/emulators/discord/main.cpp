// aa-discord-emulator: Discord's OAuth2 and bot API on loopback for tests
// and demos.
#include "emulator.hpp"

#include "http_server.hpp"

#include <cstdlib>
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
    std::filesystem::path data_dir;
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    aa::discord_emulator::EmulatorConfig config;
};

[[noreturn]] void fail_usage(const std::string& message) {
    std::cerr << "aa-discord-emulator: " << message << "\n\n" << usage;
    std::exit(2);
}

unsigned short parse_port(const std::string& text) {
    std::size_t used = 0;
    unsigned long value = 0;
    try {
        value = std::stoul(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || text.empty() || value > 65535) {
        fail_usage("invalid --port '" + text + "': expected a number from 0 to 65535");
    }
    return static_cast<unsigned short>(value);
}

Options parse_options(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "--help" || flag == "-h") {
            std::cout << usage;
            std::exit(0);
        }
        if (i + 1 >= argc) {
            fail_usage("missing value after " + std::string(flag));
        }
        std::string value = argv[++i];
        if (flag == "--port") {
            options.port = parse_port(value);
        } else if (flag == "--data") {
            options.data_dir = value;
        } else if (flag == "--host") {
            options.host = value;
        } else if (flag == "--client-id") {
            options.config.client_id = value;
        } else if (flag == "--client-secret") {
            options.config.client_secret = value;
        } else if (flag == "--bot-token") {
            options.config.bot_token = value;
        } else {
            fail_usage("unknown option '" + std::string(flag) + "'");
        }
    }
    if (options.data_dir.empty()) {
        fail_usage("--data DIR is required");
    }
    return options;
}

}  // namespace

int main(int argc, char** argv) {
    auto options = parse_options(argc, argv);

    try {
        aa::discord_emulator::Emulator emulator(options.config, aa::discord_emulator::load_world(options.data_dir),
                                                aa::discord_emulator::system_clock_ms);
        auto router = aa::discord_emulator::make_router(emulator);

        aa::emulator::ServerOptions server_options;
        server_options.host = options.host;
        server_options.port = options.port;
        aa::emulator::HttpServer server(server_options, [&](aa::emulator::Request& request) {
            return aa::discord_emulator::handle_request(emulator, router, request);
        });

        std::cout << "LISTENING " << server.port() << std::endl;
        std::cerr << "aa-discord-emulator: serving guild " << emulator.world.guild_id() << " on "
                  << options.host << ":" << server.port() << " with client id " << options.config.client_id << "\n";
        server.run();
        std::cerr << "aa-discord-emulator: stopped\n";
    } catch (const std::exception& error) {
        std::cerr << "aa-discord-emulator: " << error.what() << '\n';
        return 1;
    }
    return 0;
}
