#include "harness.hpp"

#include <arpa/inet.h>
#include <signal.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <soci/mysql/soci-mysql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "aa/http_client.hpp"

namespace aa::test {
namespace {

size_t append_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

size_t collect_header(char* data, size_t size, size_t count, void* user) {
  auto& response = *static_cast<HttpResponse*>(user);
  std::string line(data, size * count);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  auto colon = line.find(':');
  if (colon == std::string::npos) return size * count;
  std::string name = line.substr(0, colon);
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto value = line.substr(colon + 1);
  while (!value.empty() && value.front() == ' ') value.erase(0, 1);
  if (name == "set-cookie") response.set_cookies.push_back(value);
  response.headers[name] = value;
  return size * count;
}

const std::regex kCsrfInput(R"re(name="csrfmiddlewaretoken" value="([^"]+)")re");

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

Browser::Browser(std::string base_url) : base_url_(std::move(base_url)), curl_(curl_easy_init()) {
  curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, "");  // Turns on the in-memory cookie engine.
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
}

Browser::~Browser() { curl_easy_cleanup(curl_); }

HttpResponse Browser::perform(const std::string& url, const std::string* form_body,
                              const std::vector<std::string>& headers) {
  HttpResponse response;
  curl_slist* list = nullptr;
  for (const auto& header : headers) list = curl_slist_append(list, header.c_str());
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response);
  if (form_body) {
    curl_easy_setopt(curl_, CURLOPT_POST, 1L);
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, form_body->c_str());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(form_body->size()));
  } else {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
  }
  auto code = curl_easy_perform(curl_);
  curl_slist_free_all(list);
  if (code != CURLE_OK) throw std::runtime_error("request to " + url + " failed: " + curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);

  std::smatch match;
  if (std::regex_search(response.body, match, kCsrfInput)) csrf_token_ = match[1].str();
  return response;
}

HttpResponse Browser::get(const std::string& path_or_url, const std::vector<std::string>& headers) {
  auto url = path_or_url.starts_with("http") ? path_or_url : base_url_ + path_or_url;
  return perform(url, nullptr, headers);
}

HttpResponse Browser::post(const std::string& path, std::vector<std::pair<std::string, std::string>> fields, bool csrf,
                           const std::vector<std::string>& headers) {
  if (csrf) fields.emplace_back("csrfmiddlewaretoken", csrf_token_);
  auto body = aa::form_encode(fields);
  auto url = path.starts_with("http") ? path : base_url_ + path;
  return perform(url, &body, headers);
}

HttpResponse Browser::follow(HttpResponse response, int max_hops) {
  for (int hop = 0; hop < max_hops && response.status >= 300 && response.status < 400; ++hop) {
    response = get(response.location());
  }
  return response;
}

std::optional<std::string> Browser::cookie(const std::string& name) const {
  curl_slist* cookies = nullptr;
  curl_easy_getinfo(curl_, CURLINFO_COOKIELIST, &cookies);
  std::optional<std::string> value;
  for (auto* entry = cookies; entry; entry = entry->next) {
    // Netscape format: domain, tailmatch, path, secure, expires, name, value.
    std::vector<std::string> fields;
    std::stringstream stream(entry->data);
    std::string field;
    while (std::getline(stream, field, '\t')) fields.push_back(field);
    if (fields.size() >= 7 && fields[5] == name) value = fields[6];
  }
  curl_slist_free_all(cookies);
  return value;
}

void Browser::set_cookie(const std::string& name, const std::string& value) {
  auto line = "Set-Cookie: " + name + "=" + value + "; Path=/";
  curl_easy_setopt(curl_, CURLOPT_COOKIELIST, line.c_str());
}

void Browser::clear_cookies() { curl_easy_setopt(curl_, CURLOPT_COOKIELIST, "ALL"); }

Emulator::Emulator() {
  process_ = std::make_unique<ChildProcess>(
      (bin_dir() / "aa-eve-emulator").string(),
      std::vector<std::string>{"--data", (source_dir() / "tests" / "data").string(), "--port", "0"},
      std::vector<std::string>{}, "/dev/null");
  auto port = process_->wait_for_line(std::regex("^LISTENING (\\d+)"), std::chrono::seconds(10));
  if (!port) throw std::runtime_error("the EVE emulator did not start");
  port_ = std::stoi(*port);
}

void Emulator::control(const std::string& path, const std::string& json) {
  aa::HttpClientRequest request;
  request.method = "POST";
  request.url = base_url() + "/_emulator/" + path;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = json;
  auto response = aa::http_send(request);
  if (!response.ok()) throw std::runtime_error("emulator control " + path + " failed: " + response.body);
}

void Emulator::clear_faults() {
  aa::HttpClientRequest request;
  request.method = "DELETE";
  request.url = base_url() + "/_emulator/faults";
  aa::http_send(request);
}

int Emulator::request_count(const std::string& route) {
  aa::HttpClientRequest request;
  request.url = base_url() + "/_emulator/requests";
  auto response = aa::http_send(request);
  auto routes = boost::json::parse(response.body).as_object().at("routes").as_object();
  auto it = routes.find(route);
  return it == routes.end() ? 0 : static_cast<int>(it->value().to_number<long long>());
}

Daemon::Daemon(const std::string& backend, Emulator& emulator, const std::string& extra_yaml) : backend_(backend) {
  port_ = free_port();
  base_url_ = "http://127.0.0.1:" + std::to_string(port_);
  auto emulator_url = emulator.base_url();
  std::string yaml = "site_url: \"" + base_url_ +
                     "\"\n"
                     "sso:\n  client_id: aa-demo-client\n  client_secret: aa-demo-secret\n"
                     "  metadata_url: \"" + emulator_url + "/.well-known/oauth-authorization-server\"\n"
                     "esi:\n  base_url: \"" + emulator_url + "/latest\"\n  user_contact_email: tests@example.com\n"
                     "  retries: 1\n  retry_pause_ms: 10\n  timeout_seconds: 5\n";
  std::ofstream(config_file()) << instance_yaml(dir_.path(), backend, yaml + extra_yaml);

  auto migrated = cli({"migrate"});
  if (migrated.status != 0) throw std::runtime_error("migrate failed:\n" + migrated.output);
  start();
}

Daemon::~Daemon() {
  stop();
  db_.reset();
  drop_database(dir_.path());
}

void Daemon::start(const std::string& limits) {
  std::vector<std::string> args{"--config", config_file().string(), "serve", "--port", std::to_string(port_)};
  if (limits.empty()) {
    process_ = std::make_unique<ChildProcess>((bin_dir() / "allianceauth").string(), args, std::vector<std::string>{},
                                              (dir_.path() / "daemon.err").string());
  } else {
    // sh runs the limit, then replaces itself with the daemon: $0 is the
    // program and "$@" its arguments.
    args.insert(args.begin(), {"-c", limits + " && exec \"$0\" \"$@\"", (bin_dir() / "allianceauth").string()});
    process_ = std::make_unique<ChildProcess>("/bin/sh", args, std::vector<std::string>{},
                                              (dir_.path() / "daemon.err").string());
  }
  if (!process_->wait_for_line(std::regex("running at"), std::chrono::seconds(15))) {
    throw std::runtime_error("the daemon did not start:\n" + log());
  }
}

void Daemon::stop() {
  if (process_) process_->stop();
  process_.reset();
}

void Daemon::kill() {
  if (process_) process_->stop(SIGKILL);
  process_.reset();
}

std::string Daemon::log() const {
  std::ifstream in(dir_.path() / "log" / "allianceauth.log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

soci::session& Daemon::db() {
  if (!db_) {
    auto config = core::Config::load(config_file());
    db_ = std::make_unique<soci::session>();
    auto options = core::database_options(config);
    if (options.dialect == Dialect::mysql) {
      db_->open(soci::mysql, options.connection);
    } else {
      db_->open(soci::sqlite3, "db=\"" + options.connection + "\" timeout=10");
    }
  }
  return *db_;
}

CommandResult Daemon::cli(const std::vector<std::string>& args) {
  std::vector<std::string> full{"--config", config_file().string()};
  full.insert(full.end(), args.begin(), args.end());
  return run_command((bin_dir() / "allianceauth").string(), full);
}

HttpResponse sso_flow(Browser& browser, long long character_id, const std::string& start_path) {
  auto start = browser.get(start_path);
  if (start.status != 302) return start;
  auto authorize = browser.get(start.location() + "&character_id=" + std::to_string(character_id));
  if (authorize.status != 302) return authorize;
  return browser.get(authorize.location());
}

long long log_in(Daemon& daemon, Browser& browser, long long character_id) {
  REQUIRE(sso_flow(browser, character_id).status == 302);
  return user_of(daemon.db(), character_id);
}

std::string raw_request(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    throw std::runtime_error("cannot connect to port " + std::to_string(port));
  }
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto count = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (count <= 0) break;
    sent += static_cast<std::size_t>(count);
  }
  std::string answer;
  char buffer[4096];
  while (true) {
    auto count = recv(fd, buffer, sizeof buffer, 0);
    if (count <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(count));
  }
  close(fd);
  return answer;
}

long long count_rows(soci::session& sql, const std::string& table) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM " + table, soci::into(count);
  return count;
}

}  // namespace aa::test
