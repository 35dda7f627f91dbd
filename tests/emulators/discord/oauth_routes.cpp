// Discord's OAuth2 routes: the authorize page (user consent and adding the
// bot to a guild), the token endpoint and token revocation.
#include "emulator.hpp"

#include "api_support.hpp"
#include "form_fields.hpp"
#include "json_response.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <openssl/evp.h>

#include <sstream>

namespace aa::discord_emulator {

using aa::emulator::FormFields;
using aa::emulator::json_response;
using aa::emulator::Request;
using aa::emulator::Response;

namespace {

std::string html_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

Response html_page(unsigned status, std::string_view title, const std::string& body) {
    return Response::text(status,
                          "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" +
                              html_escape(title) + "</title></head>\n<body>\n" + body + "</body>\n</html>\n",
                          "text/html; charset=utf-8");
}

Response html_error(std::string_view message) {
    return html_page(400, "Discord emulator: bad request",
                     "<h1>Bad authorization request</h1>\n<p>" + html_escape(message) + "</p>\n");
}

std::vector<std::string> split_scopes(const std::string& text) {
    std::vector<std::string> scopes;
    std::istringstream words(text);
    std::string scope;
    while (words >> scope) {
        if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
            scopes.push_back(scope);
        }
    }
    return scopes;
}

std::string param(const Request& request, const char* name) { return request.query_param(name).value_or(""); }

// The page a browser sees before the user picks an account: one link per
// sample user, each with user_id added.
Response user_chooser(const Emulator& emulator, const Request& request, const std::vector<std::string>& scopes) {
    std::string body = "<h1>Discord emulator: authorize</h1>\n<p>Requested scopes: ";
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        body += (i == 0 ? "<code>" : ", <code>") + html_escape(scopes[i]) + "</code>";
    }
    body += "</p>\n<p>Choose a Discord user:</p>\n<ul>\n";
    for (const auto& user : emulator.world.users()) {
        boost::urls::url link(request.target);
        std::string id(user.at("id").as_string());
        link.params().set("user_id", id);
        body += "<li><a href=\"" + html_escape(link.buffer()) + "\" data-user-id=\"" + id + "\">" +
                html_escape(std::string(user.at("username").as_string())) + "</a></li>\n";
    }
    body += "</ul>\n";
    return html_page(200, "Discord emulator", body);
}

Response authorize(Emulator& emulator, Request& request) {
    auto client_id = param(request, "client_id");
    auto response_type = param(request, "response_type");
    auto redirect_uri = param(request, "redirect_uri");
    auto scopes = split_scopes(param(request, "scope"));
    bool bot = std::find(scopes.begin(), scopes.end(), "bot") != scopes.end();

    if (client_id != emulator.config.client_id) {
        return html_error("unknown client_id '" + client_id + "'");
    }
    if (scopes.empty()) {
        return html_error("scope is missing; expected for example 'identify guilds.join'");
    }
    if (!bot && response_type != "code") {
        return html_error("response_type must be 'code', not '" + response_type + "'");
    }
    if (!redirect_uri.empty()) {
        auto parsed = boost::urls::parse_absolute_uri(redirect_uri);
        if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https")) {
            return html_error("redirect_uri '" + redirect_uri + "' is not an http(s) URL");
        }
    } else if (!bot) {
        return html_error("redirect_uri is missing");
    }

    auto user_id = request.query_param("user_id");
    if (!user_id) {
        return user_chooser(emulator, request, scopes);
    }
    if (!emulator.world.has_user(*user_id)) {
        return html_error("unknown user_id '" + *user_id + "'");
    }

    Grant grant{*user_id, scopes, redirect_uri, {}};
    if (bot) {
        auto guild_id = param(request, "guild_id");
        if (guild_id.empty()) {
            guild_id = emulator.world.guild_id();
        }
        if (guild_id != emulator.world.guild_id()) {
            return html_error("unknown guild_id '" + guild_id + "'");
        }
        emulator.world.add_bot();
        grant.guild_id = guild_id;
    }

    if (redirect_uri.empty() || response_type != "code") {
        return html_page(200, "Discord emulator", "<h1>Authorized</h1>\n<p>The bot was added to the server.</p>\n");
    }

    boost::urls::url location(redirect_uri);
    location.params().set("code", emulator.oauth.issue_code(grant, emulator.clock()));
    if (auto state = request.query_param("state")) {
        location.params().set("state", *state);
    }
    if (bot) {
        location.params().set("guild_id", grant.guild_id);
        location.params().set("permissions", param(request, "permissions"));
    }
    Response response;
    response.status = 302;
    response.set_header("Location", std::string(location.buffer()));
    return response;
}

Response oauth_error(unsigned status, const std::string& error, const std::string& description) {
    return json_response(status, boost::json::object{{"error", error}, {"error_description", description}});
}

std::string base64_decode(const std::string& text) {
    std::string out(text.size(), '\0');
    int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                 reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
    if (length < 0) {
        return {};
    }
    // EVP_DecodeBlock counts the padding as zero bytes.
    for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) {
        --length;
    }
    out.resize(static_cast<std::size_t>(std::max(length, 0)));
    return out;
}

// Client authentication: HTTP Basic, or client_id and client_secret in the body.
bool client_authenticated(const Emulator& emulator, const Request& request, const FormFields& form) {
    auto basic = authorization_token(request, "Basic");
    std::string id, secret;
    if (!basic.empty()) {
        auto decoded = base64_decode(basic);
        auto colon = decoded.find(':');
        if (colon == std::string::npos) {
            return false;
        }
        id = decoded.substr(0, colon);
        secret = decoded.substr(colon + 1);
    } else {
        id = form.count("client_id") ? form.at("client_id") : "";
        secret = form.count("client_secret") ? form.at("client_secret") : "";
    }
    return id == emulator.config.client_id && secret == emulator.config.client_secret;
}

Response token_response(Emulator& emulator, const Grant& grant) {
    auto tokens = emulator.oauth.issue_tokens(grant, emulator.clock());
    return json_response(200, boost::json::object{
                                  {"access_token", tokens.access_token},
                                  {"token_type", "Bearer"},
                                  {"expires_in", access_token_lifetime_s},
                                  {"refresh_token", tokens.refresh_token},
                                  {"scope", grant.scope_text()},
                              });
}

Response token(Emulator& emulator, Request& request) {
    auto form = aa::emulator::parse_form_fields(request.body);
    if (!form) {
        return oauth_error(400, "invalid_request", "the body is not a valid form");
    }
    if (!client_authenticated(emulator, request, *form)) {
        return oauth_error(401, "invalid_client", "unknown client or wrong secret");
    }

    auto grant_type = form->count("grant_type") ? form->at("grant_type") : "";
    if (grant_type == "authorization_code") {
        auto code = form->count("code") ? form->at("code") : "";
        if (emulator.faults.take_code_rejection()) {
            return oauth_error(400, "invalid_grant", "Invalid \"code\" in request.");
        }
        auto grant = emulator.oauth.take_code(code, emulator.clock());
        if (!grant) {
            return oauth_error(400, "invalid_grant", "Invalid \"code\" in request.");
        }
        auto redirect_uri = form->count("redirect_uri") ? form->at("redirect_uri") : "";
        if (!grant->redirect_uri.empty() && redirect_uri != grant->redirect_uri) {
            return oauth_error(400, "invalid_grant", "Invalid \"redirect_uri\" in request.");
        }
        return token_response(emulator, *grant);
    }
    if (grant_type == "refresh_token") {
        auto grant = emulator.oauth.take_refresh_token(form->count("refresh_token") ? form->at("refresh_token") : "");
        if (!grant) {
            return oauth_error(400, "invalid_grant", "Invalid \"refresh_token\" in request.");
        }
        return token_response(emulator, *grant);
    }
    return oauth_error(400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token");
}

Response revoke(Emulator& emulator, Request& request) {
    auto form = aa::emulator::parse_form_fields(request.body);
    if (!form) {
        return oauth_error(400, "invalid_request", "the body is not a valid form");
    }
    if (!client_authenticated(emulator, request, *form)) {
        return oauth_error(401, "invalid_client", "unknown client or wrong secret");
    }
    emulator.oauth.revoke(form->count("token") ? form->at("token") : "");
    return json_response(200, boost::json::object{});
}

}  // namespace

void add_oauth_routes(aa::emulator::Router& router, Emulator& emulator) {
    auto on_authorize = [&emulator](Request& request) { return authorize(emulator, request); };
    auto on_token = [&emulator](Request& request) { return token(emulator, request); };
    auto on_revoke = [&emulator](Request& request) { return revoke(emulator, request); };
    router.add("GET", "/oauth2/authorize", "oauth2_authorize", on_authorize);
    for (std::string prefix : api_prefixes) {
        router.add("GET", prefix + "/oauth2/authorize", "oauth2_authorize", on_authorize);
        router.add("POST", prefix + "/oauth2/token", "oauth2_token", on_token);
        router.add("POST", prefix + "/oauth2/token/revoke", "oauth2_token_revoke", on_revoke);
    }
}

}  // namespace aa::discord_emulator
