#include "client_auth.hpp"

#include "base64.hpp"
#include "json_response.hpp"

#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>

namespace aa::eve {

namespace {

// RFC 6749 section 2.3.1 form-encodes id and secret before Basic encoding.
std::optional<std::string> form_decode(std::string_view text) {
    auto checked = boost::urls::make_pct_string_view(text);
    if (!checked) {
        return std::nullopt;
    }
    std::string decoded(checked->decode());
    for (auto& c : decoded) {
        c = c == '+' ? ' ' : c;
    }
    return decoded;
}

}  // namespace

std::optional<ClientCredentials> read_client_credentials(const aa::emulator::Request& request,
                                                         const aa::emulator::FormFields& form,
                                                         std::string& error) {
    ClientCredentials credentials;
    auto authorization = request.header("authorization");
    constexpr std::string_view scheme = "basic ";

    if (!authorization.empty()) {
        if (authorization.size() <= scheme.size() ||
            !aa::emulator::iequals(std::string_view(authorization).substr(0, scheme.size()), scheme)) {
            error = "Authorization header must use the Basic scheme";
            return std::nullopt;
        }
        auto decoded = base64_decode(std::string_view(authorization).substr(scheme.size()));
        auto colon = decoded ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos) {
            error = "Basic credentials must be base64 of client_id:client_secret";
            return std::nullopt;
        }
        auto id = form_decode(std::string_view(*decoded).substr(0, colon));
        auto secret = form_decode(std::string_view(*decoded).substr(colon + 1));
        if (!id || !secret) {
            error = "Basic credentials hold an invalid percent-escape";
            return std::nullopt;
        }
        credentials.client_id = *id;
        credentials.client_secret = *secret;
        credentials.used_basic = true;
        return credentials;
    }

    auto id = form.find("client_id");
    if (id == form.end() || id->second.empty()) {
        error = "no client credentials: send HTTP Basic auth or client_id in the body";
        return std::nullopt;
    }
    credentials.client_id = id->second;
    if (auto secret = form.find("client_secret"); secret != form.end()) {
        credentials.client_secret = secret->second;
    }
    return credentials;
}

aa::emulator::Response oauth_error(unsigned status, std::string_view code,
                                   std::string_view description) {
    return aa::emulator::json_response(
        status, boost::json::object{{"error", code}, {"error_description", description}});
}

}  // namespace aa::eve
