#include "eve/esi_client.hpp"

#include <boost/json.hpp>

#include <ctime>
#include <thread>

#include "aa/http_client.hpp"
#include "aa/version.hpp"
#include "app/logging.hpp"

namespace aa::core {
namespace {

// Parses an HTTP date ("Wed, 21 Oct 2015 07:28:00 GMT").
std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& text) {
  std::tm tm{};
  if (!strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S", &tm)) return std::nullopt;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string esi_error_text(const HttpClientResponse& response) {
  if (response.status == 0) return response.error;
  try {
    auto body = boost::json::parse(response.body);
    if (body.is_object()) {
      if (auto it = body.as_object().find("error"); it != body.as_object().end() && it->value().is_string()) {
        return std::string(it->value().as_string());
      }
    }
  } catch (const std::exception&) {
  }
  return "HTTP " + std::to_string(response.status);
}

}  // namespace

std::string esi_user_agent(const std::string& contact_email) {
  std::string agent = std::string("AllianceAuthCpp/") + aa::kVersion + " (";
  agent += contact_email.empty() ? "no contact configured" : contact_email;
  agent += ")";
  return agent;
}

CoreEsiClient::CoreEsiClient(EsiOptions options, TokenSource tokens)
    : options_(std::move(options)), tokens_(std::move(tokens)) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
}

EsiResponse CoreEsiClient::get(const std::string& path) { return send("GET", path, "", std::nullopt, true); }

EsiResponse CoreEsiClient::post(const std::string& path, const std::string& json_body) {
  return send("POST", path, json_body, std::nullopt, false);
}

EsiResponse CoreEsiClient::get_authed(const std::string& path, long long character_id,
                                      const std::vector<std::string>& scopes) {
  auto token = tokens_ ? tokens_(character_id, scopes) : std::nullopt;
  if (!token) {
    EsiResponse response;
    response.error = "no valid token of character " + std::to_string(character_id) + " with the required scopes";
    return response;
  }
  // Authenticated answers differ per character, so they are not cached.
  return send("GET", path, "", token, false);
}

void CoreEsiClient::clear_cache() {
  std::lock_guard lock(mutex_);
  cache_.clear();
}

EsiResponse CoreEsiClient::send(const std::string& method, const std::string& path, const std::string& body,
                                const std::optional<std::string>& bearer, bool use_cache) {
  auto now = std::chrono::system_clock::now();
  std::optional<CacheEntry> cached;
  if (use_cache) {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(path); it != cache_.end()) cached = it->second;
  }
  if (cached && now < cached->expires) {
    EsiResponse response;
    response.status = 200;
    response.body = cached->body;
    response.from_cache = true;
    return response;
  }

  HttpClientRequest request;
  request.method = method;
  request.url = options_.base_url + path;
  request.timeout = options_.timeout;
  request.headers = {{"User-Agent", options_.user_agent}, {"Accept", "application/json"}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  if (bearer) request.headers.emplace_back("Authorization", "Bearer " + *bearer);
  if (cached && !cached->etag.empty()) request.headers.emplace_back("If-None-Match", cached->etag);
  request.body = body;

  // Retries are done here rather than by http_send, because 420 needs its own
  // wait: until the error-limit window resets.
  HttpClientResponse response;
  auto pause = options_.retry_pause;
  for (int attempt = 0;; ++attempt) {
    response = http_send(request);
    bool error_limited = response.status == 420;
    bool retryable = response.status == 0 || response.status >= 500 || error_limited;
    if (!retryable || attempt >= options_.retries) break;

    auto wait = pause;
    if (error_limited) {
      auto reset = response.header("x-esi-error-limit-reset");
      if (!reset.empty()) {
        try {
          wait = std::min(std::chrono::milliseconds(std::stoll(reset) * 1000), options_.max_error_limit_wait);
        } catch (const std::exception&) {
        }
      }
    }
    core_log().warn("ESI {} {} failed ({}); retry {} of {} in {} ms", method, path, esi_error_text(response),
                       attempt + 1, options_.retries, wait.count());
    std::this_thread::sleep_for(wait);
    pause *= 2;
  }

  EsiResponse result;
  result.status = response.status;
  if (response.status == 304 && cached) {
    result.status = 200;
    result.body = cached->body;
    result.from_cache = true;
  } else {
    // Copied, not moved: esi_error_text() below reads ESI's error from it.
    result.body = response.body;
  }
  if (!result.ok()) {
    result.error = esi_error_text(response);
    return result;
  }

  if (use_cache) {
    CacheEntry entry;
    entry.body = result.body;
    entry.etag = response.header("etag");
    if (entry.etag.empty() && cached) entry.etag = cached->etag;
    entry.expires = parse_http_date(response.header("expires")).value_or(now);
    std::lock_guard lock(mutex_);
    cache_[path] = std::move(entry);
  }
  return result;
}

}  // namespace aa::core
