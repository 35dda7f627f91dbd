#include "command_line.hpp"

#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>

namespace aa::emulator {

namespace {

[[noreturn]] void fail_usage(std::string_view program, std::string_view usage, const std::string& message) {
    std::cerr << program << ": " << message << "\n\n" << usage;
    std::exit(2);
}

// Returns nothing for text that is not a whole number from 0 to 65535.
std::optional<unsigned short> parse_port(const std::string& text) {
    std::size_t used = 0;
    unsigned long value = 0;
    try {
        value = std::stoul(text, &used);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    if (used != text.size() || value > 65535) {
        return std::nullopt;
    }
    return static_cast<unsigned short>(value);
}

}  // namespace

CommonOptions parse_command_line(int argc, char** argv, std::string_view program, std::string_view usage,
                                 const ExtraOptionParser& parse_extra) {
    CommonOptions options;
    for (int i = 1; i < argc; ++i) {
        std::string_view flag = argv[i];
        if (flag == "--help" || flag == "-h") {
            std::cout << usage;
            std::exit(0);
        }
        if (i + 1 >= argc) {
            fail_usage(program, usage, "missing value after " + std::string(flag));
        }

        std::string value = argv[++i];
        if (flag == "--port") {
            auto port = parse_port(value);
            if (!port) {
                fail_usage(program, usage, "invalid --port '" + value + "': expected a number from 0 to 65535");
            }
            options.port = *port;
        } else if (flag == "--data") {
            options.data_dir = value;
        } else if (flag == "--host") {
            options.host = value;
        } else if (!parse_extra(flag, value)) {
            fail_usage(program, usage, "unknown option '" + std::string(flag) + "'");
        }
    }

    if (options.data_dir.empty()) {
        fail_usage(program, usage, "--data DIR is required");
    }
    return options;
}

std::string base_url(const std::string& host, unsigned short port) {
    auto bracketed = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return "http://" + bracketed + ":" + std::to_string(port);
}

}  // namespace aa::emulator
