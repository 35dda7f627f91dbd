#include "discord/request.hpp"

#include <boost/json/parse.hpp>

#include <charconv>
#include <cmath>
#include <thread>

#include "aa/http_client.hpp"

namespace aa::discord::detail {
namespace {

using std::chrono::milliseconds;

/// Alliance Auth's pause after a 429 without any wait time in it.
constexpr milliseconds kDefaultBackoff{50000};
/// 429s in a row after which a call gives up; each one was waited out.
constexpr int kMax429s = 10;

std::optional<double> parse_double(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0) {
    return std::nullopt;
  }
  return value;
}

milliseconds seconds_to_ms(double seconds) { return milliseconds(static_cast<long long>(std::ceil(seconds * 1000))); }

// The wait a 429 requests: the body's retry_after (seconds with
// decimals), else the Retry-After header, else X-RateLimit-Reset-After.
milliseconds retry_after_of(const HttpClientResponse& response, bool& global) {
  boost::system::error_code error;
  auto body = boost::json::parse(response.body, error);
  if (!error && body.is_object()) {
    const auto& object = body.as_object();
    if (auto flag = object.if_contains("global"); flag && flag->is_bool()) global = global || flag->as_bool();
    if (auto value = object.if_contains("retry_after"); value && value->is_number()) {
      auto seconds = value->to_number<double>();
      if (std::isfinite(seconds) && seconds >= 0) return seconds_to_ms(seconds);
    }
  }
  if (auto seconds = parse_double(response.header("retry-after"))) return seconds_to_ms(*seconds);
  if (auto seconds = parse_double(response.header("x-ratelimit-reset-after"))) return seconds_to_ms(*seconds);
  return kDefaultBackoff;
}

std::optional<int> parse_int(const std::string& text) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

void warn(const ClientOptions& options, const std::string& message) {
  if (options.logger) options.logger->warning(message);
}

Error rate_limited(const ApiCall& call, milliseconds wait) {
  Error error;
  error.kind = ErrorKind::rate_limited;
  error.retry_after = wait;
  error.message = "rate limited on " + call.route + " for " + std::to_string(wait.count()) + " ms";
  return error;
}

HttpClientRequest http_request(const ClientOptions& options, const ApiCall& call) {
  HttpClientRequest request;
  request.method = call.method;
  request.url = options.api_base_url + call.path;
  request.timeout = options.request_timeout;
  request.connect_timeout = options.connect_timeout;
  request.headers.emplace_back("User-Agent", options.user_agent);
  if (!call.authorization.empty()) request.headers.emplace_back("Authorization", call.authorization);
  request.basic_auth = call.basic_auth;
  if (!call.form_body.empty()) {
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = call.form_body;
  } else if (!call.json_body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = call.json_body;
  }
  return request;
}

// Sleeps until the store lets the call go and returns what it holds, or
// the rate_limited error when the total wait would pass max_rate_limit_wait.
Result<std::string> wait_for_limits(const ClientOptions& options, RateLimitStore& store, const ApiCall& call) {
  milliseconds waited{0};
  for (;;) {
    auto permit = store.acquire(call.route, call.major, now_ms());
    if (permit.wait.count() <= 0) return std::move(permit.held);
    if (waited + permit.wait > options.max_rate_limit_wait) return rate_limited(call, permit.wait);
    std::this_thread::sleep_for(permit.wait);
    waited += permit.wait;
  }
}

// Appends the field errors of a 50035 Invalid Form Body response, which nest
// "_errors" lists under the field path, as "; name: Must be ..." to `text`.
void append_form_errors(const boost::json::value& errors, const std::string& path, std::string& text) {
  if (!errors.is_object()) return;
  for (const auto& [key, value] : errors.as_object()) {
    if (key == "_errors" && value.is_array()) {
      for (const auto& entry : value.as_array()) {
        auto message = entry.is_object() ? entry.as_object().if_contains("message") : nullptr;
        if (message && message->is_string()) text += "; " + path + ": " + std::string(message->as_string());
      }
      continue;
    }
    append_form_errors(value, path.empty() ? std::string(key) : path + "." + std::string(key), text);
  }
}

}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Error error_from_answer(const ApiCall& call, int status, const std::string& body) {
  Error error;
  error.http_status = status;
  boost::system::error_code parse_error;
  auto json = boost::json::parse(body, parse_error);
  if (!parse_error && json.is_object()) {
    const auto& object = json.as_object();
    if (auto code = object.if_contains("code"); code && code->is_int64()) error.code = static_cast<int>(code->as_int64());
    if (auto message = object.if_contains("message"); message && message->is_string()) {
      error.message = std::string(message->as_string());
      if (auto errors = object.if_contains("errors")) append_form_errors(*errors, "", error.message);
    } else if (auto oauth = object.if_contains("error"); oauth && oauth->is_string()) {
      error.message = std::string(oauth->as_string());
    }
  }
  if (error.message.empty()) error.message = "HTTP " + std::to_string(status);
  error.message = call.method + " " + call.path + ": " + error.message;

  if (status == 401) {
    error.kind = ErrorKind::unauthorized;
  } else if (status == 403) {
    error.kind = error.code == 50013 ? ErrorKind::missing_permissions : ErrorKind::forbidden;
  } else if (status == 404) {
    error.kind = ErrorKind::not_found;
  } else if (status == 429) {
    error.kind = ErrorKind::rate_limited;
  } else if (status >= 500) {
    error.kind = ErrorKind::server_error;
  } else {
    error.kind = ErrorKind::bad_request;
  }
  return error;
}

Result<boost::json::value> parse_body(const ApiCall& call, const ApiAnswer& answer) {
  boost::system::error_code error;
  auto json = boost::json::parse(answer.body, error);
  if (error) {
    Error failure;
    failure.kind = ErrorKind::invalid_response;
    failure.http_status = answer.status;
    failure.message = call.method + " " + call.path + ": the response is not JSON: " + error.message();
    return failure;
  }
  return json;
}

Result<ApiAnswer> send(const ClientOptions& options, RateLimitStore& store, const ApiCall& call) {
  auto request = http_request(options, call);
  int server_failures = 0;
  int too_many_requests = 0;

  for (;;) {
    auto held = wait_for_limits(options, store, call);
    if (!held) return held.error();
    auto response = http_send(request);

    // No response: the store must not wait for headers that never come.
    if (response.status == 0) {
      store.release(held.value());
      if (server_failures++ < options.server_error_retries) {
        warn(options, "Discord " + call.method + " " + call.path + " failed: " + response.error + "; retrying");
        std::this_thread::sleep_for(options.server_error_pause);
        continue;
      }
      Error error;
      error.kind = ErrorKind::transport;
      error.message = call.method + " " + call.path + ": " + response.error;
      return error;
    }

    auto bucket = response.header("x-ratelimit-bucket");
    if (response.status == 429) {
      bool global = response.header("x-ratelimit-global") == "true" || response.header("x-ratelimit-scope") == "global";
      bool shared = response.header("x-ratelimit-scope") == "shared";
      auto retry_after = retry_after_of(response, global);
      store.record_429(held.value(), call.route, call.major, bucket, global, shared, retry_after, now_ms());
      std::string scope = "route";
      if (global) scope = "global";
      if (shared) scope = "shared";
      warn(options, "Discord returned 429 for " + call.method + " " + call.path + " (" + scope + " limit); waiting " +
                        std::to_string(retry_after.count()) + " ms");
      if (++too_many_requests >= kMax429s || retry_after > options.max_rate_limit_wait) {
        return rate_limited(call, retry_after);
      }
      // A shared-scope 429 is stored nowhere, so this call waits it out here.
      if (shared) std::this_thread::sleep_for(retry_after);
      continue;
    }

    auto reset_after = parse_double(response.header("x-ratelimit-reset-after"));
    store.record(held.value(), call.route, call.major, bucket, parse_int(response.header("x-ratelimit-remaining")),
                 reset_after ? seconds_to_ms(*reset_after) : milliseconds(0), now_ms());

    if (response.status >= 500 && server_failures++ < options.server_error_retries) {
      warn(options, "Discord returned " + std::to_string(response.status) + " for " + call.method + " " + call.path +
                        "; retrying");
      std::this_thread::sleep_for(options.server_error_pause);
      continue;
    }
    if (response.status < 200 || response.status >= 300) return error_from_answer(call, response.status, response.body);
    return ApiAnswer{response.status, std::move(response.body)};
  }
}

}  // namespace aa::discord::detail
