// An HTTP client for plugins and core, on libcurl, with timeouts and with
// retries after a pause on 5xx and transport errors. It keeps no global state
// beyond curl_global_init, which the host calls once at start.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aa/export.hpp"

namespace aa {

struct HttpClientRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Whole-request limit, connection included.
  std::chrono::milliseconds timeout{10000};
  std::chrono::milliseconds connect_timeout{5000};
  /// Further attempts after a transport error or a 5xx response.
  int retries = 0;
  std::chrono::milliseconds retry_pause{500};
  /// "user:password" for HTTP Basic authentication, when set.
  std::optional<std::string> basic_auth;
};

struct AA_SDK_API HttpClientResponse {
  /// 0 when no response arrived (connection refused, timeout, ...).
  int status = 0;
  std::string body;
  /// Header names in lower case.
  std::map<std::string, std::string> headers;
  /// libcurl's description of the transport error when status is 0.
  std::string error;
  int attempts = 0;

  bool ok() const { return status >= 200 && status < 300; }
  std::string header(const std::string& lower_case_name) const;
};

/// Sends `request`, retrying as it says. Thread-safe; each call uses its own
/// curl handle.
AA_SDK_API HttpClientResponse http_send(const HttpClientRequest& request);

/// Percent-encodes `value` for a query string or form body.
AA_SDK_API std::string url_encode(std::string_view value);

/// Builds an application/x-www-form-urlencoded body.
AA_SDK_API std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace aa
