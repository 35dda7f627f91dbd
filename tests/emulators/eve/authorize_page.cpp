#include "authorize_page.hpp"

#include <boost/url/url.hpp>

namespace aa::eve {

namespace {

std::string page(std::string_view title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>" +
           html_escape(title) + "</title></head>\n<body>\n" + body + "</body>\n</html>\n";
}

}  // namespace

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
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

std::string character_chooser_page(const std::string& authorize_url,
                                   const std::vector<Character>& characters,
                                   const std::vector<std::string>& scopes) {
    std::string body = "<h1>EVE SSO emulator: log in</h1>\n<p>Requested scopes: ";
    body += scopes.empty() ? "(none)" : "";
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        body += (i == 0 ? "<code>" : ", <code>") + html_escape(scopes[i]) + "</code>";
    }
    body += "</p>\n<p>Choose a character:</p>\n<ul>\n";

    for (const auto& character : characters) {
        boost::urls::url link(authorize_url);
        link.params().set("character_id", std::to_string(character.id));
        body += "<li><a href=\"" + html_escape(link.buffer()) + "\" data-character-id=\"" +
                std::to_string(character.id) + "\">" + html_escape(character.name) + "</a></li>\n";
    }
    body += "</ul>\n";
    return page("EVE SSO emulator", body);
}

std::string authorize_error_page(std::string_view message) {
    return page("EVE SSO emulator: bad request",
                "<h1>Bad authorization request</h1>\n<p>" + html_escape(message) + "</p>\n");
}

}  // namespace aa::eve
