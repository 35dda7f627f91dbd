// The ESI client plugins use. It adds the User-Agent with the admin's contact
// address and honours ETag and Expires with an in-memory cache. It retries 5xx
// and error-limited (420) responses, and supplies a fresh access token for
// calls that need a character's scopes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aa/export.hpp"

namespace aa {

struct EsiResponse {
  int status = 0;  ///< 0 when ESI could not be reached.
  std::string body;
  std::string error;  ///< Transport error or ESI's {"error": ...} text.
  bool from_cache = false;

  bool ok() const { return status >= 200 && status < 300; }
};

class AA_SDK_API EsiClient {
 public:
  virtual ~EsiClient() = default;

  /// GET of a public route, e.g. "/characters/95465499/".
  virtual EsiResponse get(const std::string& path) = 0;
  /// POST of a JSON body to a public route, e.g. "/characters/affiliation/".
  virtual EsiResponse post(const std::string& path, const std::string& json_body) = 0;
  /// GET of an authenticated route with a token of `character_id` that has
  /// every scope in `scopes`. Returns status 0 and an error when there is no
  /// such token or it cannot be refreshed.
  virtual EsiResponse get_authed(const std::string& path, long long character_id,
                                 const std::vector<std::string>& scopes) = 0;
};

}  // namespace aa
