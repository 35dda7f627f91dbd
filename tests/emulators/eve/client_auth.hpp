// Client authentication at the SSO token and revocation endpoints:
// client_secret_basic, client_secret_post, or a public PKCE client that
// sends only client_id.
#pragma once

#include "form_fields.hpp"
#include "http_message.hpp"

#include <optional>
#include <string>

namespace aa::eve {

struct ClientCredentials {
    std::string client_id;
    std::optional<std::string> client_secret;  // empty for a public client
    bool used_basic = false;
};

// Reads HTTP Basic first, then client_id/client_secret form fields.
// Returns nullopt and sets error when the Authorization header is malformed
// or no client_id is present at all.
std::optional<ClientCredentials> read_client_credentials(const aa::emulator::Request& request,
                                                         const aa::emulator::FormFields& form,
                                                         std::string& error);

// {"error": code, "error_description": description}, as OAuth 2.0 (RFC 6749
// section 5.2) writes token endpoint errors.
aa::emulator::Response oauth_error(unsigned status, std::string_view code,
                                   std::string_view description);

}  // namespace aa::eve
