// The ESI client: User-Agent with the admin's contact address, timeouts,
// retries with backoff on 5xx, 420 (error limited) and transport errors, and
// an in-memory cache that honours Expires and revalidates with ETag.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "aa/esi.hpp"

namespace aa::core {

struct EsiOptions {
  std::string base_url;  ///< e.g. https://esi.evetech.net/latest
  std::string user_agent;
  std::chrono::milliseconds timeout{10000};
  int retries = 3;
  std::chrono::milliseconds retry_pause{500};
  /// Longest wait for an error-limit window to reset before retrying a 420.
  std::chrono::milliseconds max_error_limit_wait{10000};
};

/// Supplies a valid access token with the given scopes for a character.
using TokenSource =
    std::function<std::optional<std::string>(long long character_id, const std::vector<std::string>& scopes)>;

class CoreEsiClient final : public aa::EsiClient {
 public:
  CoreEsiClient(EsiOptions options, TokenSource tokens);

  EsiResponse get(const std::string& path) override;
  EsiResponse post(const std::string& path, const std::string& json_body) override;
  EsiResponse get_authed(const std::string& path, long long character_id,
                         const std::vector<std::string>& scopes) override;

  /// Drops every cached response.
  void clear_cache();

 private:
  struct CacheEntry {
    std::string body;
    std::string etag;
    std::chrono::system_clock::time_point expires;
  };

  EsiResponse send(const std::string& method, const std::string& path, const std::string& body,
                   const std::optional<std::string>& bearer, bool use_cache);

  EsiOptions options_;
  TokenSource tokens_;
  std::mutex mutex_;
  std::map<std::string, CacheEntry> cache_;
};

/// "AllianceAuthCpp/<version> (<contact>)", because CCP requests an app name and a contact address.
std::string esi_user_agent(const std::string& contact_email);

}  // namespace aa::core
