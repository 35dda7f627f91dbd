// aa-eve-emulator: EVE SSO v2 and ESI on loopback for tests and demos.
#include "emulator.hpp"

#include "http_server.hpp"

#include <cstdlib>
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
    std::filesystem::path data_dir;
    std::string host = "127.0.0.1";
    unsigned short port = 0;
    aa::eve::EmulatorConfig config;
    std::optional<std::filesystem::path> key_file;
};

[[noreturn]] void fail_usage(const std::string& message) {
    std::cerr << "aa-eve-emulator: " << message << "\n\n" << usage;
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
        } else if (flag == "--key") {
            options.key_file = value;
        } else {
            fail_usage("unknown option '" + std::string(flag) + "'");
        }
    }
    if (options.data_dir.empty()) {
        fail_usage("--data DIR is required");
    }
    return options;
}

std::string base_url(const std::string& host, unsigned short port) {
    auto bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return "http://" + bracketed + ":" + std::to_string(port);
}

}  // namespace

int main(int argc, char** argv) {
    auto options = parse_options(argc, argv);

    try {
        auto data = aa::eve::load_universe(options.data_dir);
        auto key = options.key_file ? aa::eve::RsaKey::load_pem_file(*options.key_file)
                                    : aa::eve::RsaKey::generate(2048);

        aa::eve::Emulator* emulator_ptr = nullptr;
        aa::emulator::Router router;
        aa::emulator::ServerOptions server_options;
        server_options.host = options.host;
        server_options.port = options.port;
        aa::emulator::HttpServer server(server_options, [&](aa::emulator::Request& request) {
            return aa::eve::handle_request(*emulator_ptr, router, request);
        });

        // The base URL needs the bound port, so the emulator is built after
        // the server has bound and before it serves anything.
        options.config.base_url = base_url(options.host, server.port());
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
