// Command-line parsing shared by the emulator binaries: --data, --port,
// --host and --help are the same for all of them, and each emulator passes
// a callback for its own options.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace aa::emulator {

struct CommonOptions {
    std::filesystem::path data_dir;  // required
    std::string host = "127.0.0.1";
    unsigned short port = 0;         // 0 lets the kernel pick a free port
};

// Called with an option this parser does not know and its value. Returns
// false when the emulator does not know the option either.
using ExtraOptionParser = std::function<bool(std::string_view flag, const std::string& value)>;

// Parses "--flag value" pairs. Prints the usage text and exits with status 0
// on --help or -h. Prints "<program>: <error>" and the usage text to stderr
// and exits with status 2 on a missing value, an unknown option, an invalid
// port or a missing --data.
CommonOptions parse_command_line(int argc, char** argv, std::string_view program, std::string_view usage,
                                 const ExtraOptionParser& parse_extra);

// Returns "http://host:port", with an IPv6 host in brackets.
std::string base_url(const std::string& host, unsigned short port);

}  // namespace aa::emulator
