#include "emulator_process.hpp"

#include <boost/json.hpp>

#include <regex>
#include <stdexcept>

#include "aa/http_client.hpp"
#include "test_support.hpp"

namespace aa::test {
namespace {

constexpr const char* kRedirectUri = "http://127.0.0.1/sso/callback";

// The value of `name` in the query string of `url`, still percent-encoded.
std::string query_value(const std::string& url, const std::string& name) {
  std::smatch match;
  if (!std::regex_search(url, match, std::regex("[?&]" + name + "=([^&]*)"))) return {};
  return match[1];
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string joined;
  for (const auto& scope : scopes) joined += (joined.empty() ? "" : " ") + scope;
  return joined;
}

}  // namespace

EmulatorProcess::EmulatorProcess() {
  process_ = std::make_unique<ChildProcess>(
      (bin_dir() / "aa-eve-emulator").string(),
      std::vector<std::string>{"--data", (source_dir() / "tests" / "data").string(), "--port", "0"},
      std::vector<std::string>{}, "/dev/null");
  auto port = process_->wait_for_line(std::regex("^LISTENING (\\d+)"), std::chrono::seconds(10));
  if (!port) {
    throw std::runtime_error("aa-eve-emulator printed no LISTENING line within 10 s; is " +
                             (bin_dir() / "aa-eve-emulator").string() + " built?");
  }
  port_ = std::stoi(*port);
}

EmulatorProcess::~EmulatorProcess() = default;

std::string EmulatorProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string EmulatorProcess::metadata_url() const { return base_url() + "/.well-known/oauth-authorization-server"; }

std::string EmulatorProcess::esi_url() const { return base_url() + "/latest"; }

int EmulatorProcess::stop() { return process_->stop(); }

boost::json::value EmulatorProcess::control(const std::string& method, const std::string& path,
                                            const std::string& json_body) {
  aa::HttpClientRequest request;
  request.method = method;
  request.url = base_url() + "/_emulator/" + path;
  request.timeout = std::chrono::seconds(5);
  if (!json_body.empty()) {
    request.headers = {{"Content-Type", "application/json"}};
    request.body = json_body;
  }
  auto response = aa::http_send(request);
  if (!response.ok()) {
    throw std::runtime_error("emulator control " + method + " /_emulator/" + path + " " + json_body +
                             " failed with status " + std::to_string(response.status) + ": " + response.body +
                             response.error);
  }
  return boost::json::parse(response.body);
}

void EmulatorProcess::inject_fault(const std::string& json_body) { control("POST", "faults", json_body); }

void EmulatorProcess::clear_faults() { control("DELETE", "faults"); }

void EmulatorProcess::reset() { control("POST", "reset"); }

void EmulatorProcess::update_character(long long character_id, const std::string& json_body) {
  control("POST", "characters/" + std::to_string(character_id), json_body);
}

int EmulatorProcess::request_count(const std::string& route) {
  auto counts = control("GET", "requests");
  const auto& routes = counts.as_object().at("routes").as_object();
  auto found = routes.find(route);
  return found == routes.end() ? 0 : static_cast<int>(found->value().to_number<long long>());
}

int EmulatorProcess::total_requests() {
  return static_cast<int>(control("GET", "requests").as_object().at("total").to_number<long long>());
}

void EmulatorProcess::clear_requests() { control("DELETE", "requests"); }

std::string EmulatorProcess::authorize_code(long long character_id, const std::vector<std::string>& scopes) {
  aa::HttpClientRequest request;
  request.url = base_url() + "/v2/oauth/authorize?" +
                aa::form_encode({{"response_type", "code"},
                                 {"client_id", kEmulatorClientId},
                                 {"redirect_uri", kRedirectUri},
                                 {"scope", join_scopes(scopes)},
                                 {"state", "unit-test-state"},
                                 {"character_id", std::to_string(character_id)}});
  auto response = aa::http_send(request);
  auto location = response.header("location");
  auto code = query_value(location, "code");
  if (response.status != 302 || code.empty()) {
    throw std::runtime_error("authorize for character " + std::to_string(character_id) + " returned " +
                             std::to_string(response.status) + " without a code: " + response.body);
  }
  return code;
}

EmulatorTokens EmulatorProcess::exchange_code(const std::string& code) {
  aa::HttpClientRequest request;
  request.method = "POST";
  request.url = base_url() + "/v2/oauth/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = aa::form_encode({{"grant_type", "authorization_code"}, {"code", code}});
  request.basic_auth = std::string(kEmulatorClientId) + ":" + kEmulatorClientSecret;
  auto response = aa::http_send(request);
  if (response.status != 200) {
    throw std::runtime_error("the code exchange returned " + std::to_string(response.status) + ": " +
                             response.body + response.error);
  }
  auto body = boost::json::parse(response.body).as_object();
  EmulatorTokens tokens;
  tokens.access_token = std::string(body.at("access_token").as_string());
  tokens.refresh_token = std::string(body.at("refresh_token").as_string());
  tokens.expires_in = body.at("expires_in").to_number<long long>();
  return tokens;
}

EmulatorTokens EmulatorProcess::tokens_for(long long character_id, const std::vector<std::string>& scopes) {
  return exchange_code(authorize_code(character_id, scopes));
}

std::string EmulatorProcess::jwks() {
  aa::HttpClientRequest request;
  request.url = base_url() + "/oauth/jwks";
  auto response = aa::http_send(request);
  if (response.status != 200) {
    throw std::runtime_error("GET /oauth/jwks returned " + std::to_string(response.status) + response.error);
  }
  return response.body;
}

EmulatorProcess& shared_emulator() {
  static EmulatorProcess emulator;
  emulator.reset();
  emulator.clear_requests();
  return emulator;
}

}  // namespace aa::test
