// Plain request and response values passed between the Beast server and the
// rest of the host, so that only server.cpp compiles Beast.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aa/http.hpp"

namespace aa::core {

struct RawRequest {
  Method method = Method::other;
  std::string method_text;
  std::string target;
  /// Header names as sent; look-ups are case-insensitive.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote_address;

  std::string_view header(std::string_view name) const;
};

struct RawResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Set for HEAD: Content-Length is the body's, but no body is sent.
  bool omit_body = false;
};

Method parse_method(std::string_view text);
bool is_safe_method(Method method);

}  // namespace aa::core
