#include "base64.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace aa::eve {

namespace {

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/';
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    auto written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    if (text.size() % 4 != 0) {
        return std::nullopt;
    }

    // EVP_DecodeBlock skips surrounding whitespace and does not check where
    // '=' appears, so the alphabet and the padding are checked here.
    // For all-'=' text find_last_not_of returns npos and padding wraps round
    // to text.size(), which the check below rejects.
    auto padding = text.size() - text.find_last_not_of('=') - 1;
    if (padding > 2) {
        return std::nullopt;
    }
    auto data = text.substr(0, text.size() - padding);
    if (!std::all_of(data.begin(), data.end(), is_base64_char)) {
        return std::nullopt;
    }

    std::string out(3 * text.size() / 4, '\0');
    auto written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                   reinterpret_cast<const unsigned char*>(text.data()),
                                   static_cast<int>(text.size()));
    if (written < 0) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts the bytes that the padding stands for as zeros.
    out.resize(static_cast<std::size_t>(written) - padding);
    return out;
}

std::string base64url_encode(std::string_view bytes) {
    auto text = base64_encode(bytes);
    std::replace(text.begin(), text.end(), '+', '-');
    std::replace(text.begin(), text.end(), '/', '_');
    text.erase(text.find_last_not_of('=') + 1);
    return text;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    if (text.size() % 4 == 1 || text.find_first_of("+/=") != std::string_view::npos) {
        return std::nullopt;
    }
    std::string standard(text);
    std::replace(standard.begin(), standard.end(), '-', '+');
    std::replace(standard.begin(), standard.end(), '_', '/');
    standard.append((4 - standard.size() % 4) % 4, '=');
    return base64_decode(standard);
}

}  // namespace aa::eve
