#include "discord_emulator_process.hpp"

#include <boost/json.hpp>

#include <regex>
#include <stdexcept>

#include "aa/http_client.hpp"
#include "test_support.hpp"

namespace aa::test {

DiscordEmulatorProcess::DiscordEmulatorProcess() {
  auto program = (bin_dir() / "aa-discord-emulator").string();
  process_ = std::make_unique<ChildProcess>(
      program, std::vector<std::string>{"--data", (source_dir() / "tests" / "data" / "discord").string(), "--port", "0"},
      std::vector<std::string>{}, "/dev/null");
  auto port = process_->wait_for_line(std::regex("^LISTENING (\\d+)"), std::chrono::seconds(10));
  if (!port) throw std::runtime_error("aa-discord-emulator printed no LISTENING line within 10 s; is " + program + " built?");
  port_ = std::stoi(*port);
}

DiscordEmulatorProcess::~DiscordEmulatorProcess() = default;

std::string DiscordEmulatorProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string DiscordEmulatorProcess::api_url() const { return base_url() + "/api/v10"; }

boost::json::value DiscordEmulatorProcess::control(const std::string& method, const std::string& path,
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
    throw std::runtime_error("Discord emulator control " + method + " /_emulator/" + path + " " + json_body +
                             " failed with status " + std::to_string(response.status) + ": " + response.body +
                             response.error);
  }
  return boost::json::parse(response.body);
}

void DiscordEmulatorProcess::reset() { control("POST", "reset"); }

void DiscordEmulatorProcess::clear_requests() { control("DELETE", "requests"); }

int DiscordEmulatorProcess::count_in(const char* section, const std::string& route) {
  auto counts = control("GET", "requests").as_object().at(section).as_object();
  auto found = counts.find(route);
  return found == counts.end() ? 0 : static_cast<int>(found->value().to_number<long long>());
}

int DiscordEmulatorProcess::request_count(const std::string& route) { return count_in("routes", route); }

int DiscordEmulatorProcess::rate_limited_count(const std::string& route) { return count_in("rate_limited", route); }

int DiscordEmulatorProcess::injected_count(const std::string& route) { return count_in("injected_429", route); }

std::string DiscordEmulatorProcess::user_token(long long user_id) {
  auto answer = control("POST", "tokens",
                        R"({"user_id":")" + std::to_string(user_id) + R"(","scopes":["identify","guilds.join"]})");
  return std::string(answer.as_object().at("access_token").as_string());
}

boost::json::value DiscordEmulatorProcess::member(long long user_id) {
  auto state = control("GET", "state");
  auto id = std::to_string(user_id);
  for (const auto& member : state.as_object().at("members").as_array()) {
    if (member.as_object().at("user").as_object().at("id").as_string() == id) return member;
  }
  return nullptr;
}

DiscordEmulatorProcess& shared_discord_emulator() {
  static DiscordEmulatorProcess emulator;
  emulator.reset();
  emulator.clear_requests();
  return emulator;
}

}  // namespace aa::test
