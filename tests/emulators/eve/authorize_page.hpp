// HTML pages of the authorize endpoint: the character chooser and errors.
#pragma once

#include "universe_data.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace aa::eve {

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

// A page with one link per character. Each link is authorize_url with
// character_id=<id> appended; authorize_url must already be a valid URL.
std::string character_chooser_page(const std::string& authorize_url,
                                   const std::vector<Character>& characters,
                                   const std::vector<std::string>& scopes);

// A page that states what was wrong with the request.
std::string authorize_error_page(std::string_view message);

}  // namespace aa::eve
