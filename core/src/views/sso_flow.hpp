// The three SSO flows (login, add character, change main) share one
// authorize redirect and one callback. The one-time `state` parameter is
// stored with the purpose and tied to the browser's session, so a state
// from another browser, a reused state or a forged one is rejected.
#pragma once

#include <string>
#include <vector>

#include "aa/http.hpp"

namespace aa::core {

class CoreRequest;

enum class SsoPurpose { login, add_character, change_main };

/// Redirects the browser to EVE SSO for `purpose`; `next` is where to go
/// after a successful login (a local path only).
Response start_sso(CoreRequest& request, SsoPurpose purpose, const std::vector<std::string>& scopes,
                   const std::string& next = {});

/// Handles /sso/callback.
Response finish_sso(CoreRequest& request);

/// A local redirect target from user input: a path that starts with a
/// single "/", or `fallback` for anything that could leave the site.
std::string safe_next(const std::string& next, const std::string& fallback);

}  // namespace aa::core
