// Malformed and oversized requests, static files, error pages and the
// refusal to serve with pending migrations.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "harness.hpp"

using namespace aa::test;

namespace {

int port_of(const Daemon& daemon) { return std::stoi(daemon.base_url().substr(daemon.base_url().rfind(':') + 1)); }

}  // namespace

TEST_CASE("http: malformed and oversized requests get 4xx and the daemon keeps serving") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  int port = port_of(daemon);

  auto garbage = raw_request(port, "NOT AN HTTP REQUEST\r\n\r\n");
  CHECK(garbage.starts_with("HTTP/1.1 400"));

  std::string huge_header = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(64 * 1024, 'a') + "\r\n\r\n";
  CHECK(raw_request(port, huge_header).starts_with("HTTP/1.1 431"));

  std::string huge_body = "POST /account/logout/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5000000\r\n\r\n" +
                          std::string(2 * 1024 * 1024, 'b');
  CHECK(raw_request(port, huge_body).starts_with("HTTP/1.1 413"));

  auto no_host = raw_request(port, "GET /account/login/ HTTP/1.1\r\nConnection: close\r\n\r\n");
  CHECK(no_host.starts_with("HTTP/1.1 400"));
  auto two_hosts = raw_request(port, "GET /account/login/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n");
  CHECK(two_hosts.starts_with("HTTP/1.1 400"));
  auto gzip = raw_request(port, "POST /account/logout/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc");
  CHECK(gzip.starts_with("HTTP/1.1 400"));
  auto http10 = raw_request(port, "GET /account/login/ HTTP/1.0\r\n\r\n");
  CHECK(http10.starts_with("HTTP/1.0 200"));

  auto bad_encoding = raw_request(port, "GET /account/login/?next=%zz%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(bad_encoding.starts_with("HTTP/1.1 200"));

  Browser browser(daemon.base_url());
  CHECK(browser.get("/account/login/").status == 200);
}

TEST_CASE("http: keep-alive serves several requests on one connection") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  std::string two = "GET /account/login/ HTTP/1.1\r\nHost: x\r\n\r\nGET /account/login/ HTTP/1.1\r\nHost: x\r\n"
                    "Connection: close\r\n\r\n";
  auto answer = raw_request(port_of(daemon), two);
  std::size_t count = 0;
  for (auto at = answer.find("HTTP/1.1 200"); at != std::string::npos; at = answer.find("HTTP/1.1 200", at + 1)) ++count;
  CHECK(count == 2);
}

TEST_CASE("http: static files have cache headers and never leave the static folders") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());

  auto css = browser.get("/static/allianceauth/css/allianceauth.css");
  CHECK(css.status == 200);
  CHECK(css.header("content-type").starts_with("text/css"));
  CHECK(css.header("cache-control").find("max-age=") != std::string::npos);
  auto etag = css.header("etag");
  REQUIRE_FALSE(etag.empty());
  CHECK(browser.get("/static/allianceauth/css/allianceauth.css", {"If-None-Match: " + etag}).status == 304);

  CHECK(browser.get("/static/vendor/bootstrap/css/bootstrap.min.css").status == 200);

  std::ofstream(daemon.dir() / "secret.txt") << "TOP-SECRET-CONTENT";
  for (const char* path : {"/static/../secret.txt", "/static/%2e%2e/secret.txt", "/static/%2e%2e%2fsecret.txt",
                           "/static/allianceauth/../../secret.txt", "/static//etc/passwd", "/static/..%5csecret.txt"}) {
    CAPTURE(std::string(path));
    auto response = raw_request(port_of(daemon), std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(response.starts_with("HTTP/1.1 404"));
    CHECK(response.find("TOP-SECRET-CONTENT") == std::string::npos);
  }
}

TEST_CASE("http: error pages leak no internals") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  auto missing = browser.get("/no/such/page/");
  CHECK(missing.status == 404);
  CHECK(missing.body.find("Page not found") != std::string::npos);
  CHECK(missing.body.find(daemon.dir().string()) == std::string::npos);

  auto method = browser.post("/dashboard/", {});
  CHECK(method.status == 405);
  CHECK(method.header("allow") == "GET");

  // A path that exists with a trailing slash redirects there, but never to
  // a protocol-relative "//host/" location.
  auto slash = browser.get("/dashboard");
  CHECK(slash.status == 301);
  CHECK(slash.location() == "/dashboard/");
  auto network_path = raw_request(port_of(daemon), "GET //dashboard HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(network_path.starts_with("HTTP/1.1 404"));
  CHECK(network_path.find("Location") == std::string::npos);

  CHECK(missing.header("x-frame-options") == "DENY");
  CHECK(missing.header("x-content-type-options") == "nosniff");
  CHECK(missing.header("content-security-policy").find("default-src 'self'") != std::string::npos);
}

TEST_CASE("http: the daemon refuses to serve while migrations are pending") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  daemon.stop();
  auto reverted = daemon.cli({"migrate", "core", "zero", "--yes"});
  REQUIRE(reverted.status == 0);
  auto serve = daemon.cli({"serve", "--port", "0"});
  CHECK(serve.status == 1);
  CHECK(serve.output.find("migrations are pending") != std::string::npos);
  CHECK(serve.output.find("core 1 initial") != std::string::npos);
  REQUIRE(daemon.cli({"migrate"}).status == 0);
  daemon.start();
}

TEST_CASE("http: running out of descriptors neither spins nor floods the log") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  daemon.stop();
  daemon.start("ulimit -n 200");
  int port = port_of(daemon);

  std::vector<int> sockets;
  for (int i = 0; i < 300; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      sockets.push_back(fd);
    } else {
      close(fd);
    }
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  for (int fd : sockets) close(fd);

  auto log_size = std::filesystem::file_size(daemon.dir() / "log" / "allianceauth.log");
  CHECK(log_size < 64 * 1024);
  Browser browser(daemon.base_url());
  CHECK(browser.get("/account/login/").status == 200);
}

TEST_CASE("http: repeated failed password logins are throttled") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  auto made = run_command((bin_dir() / "allianceauth").string(),
                          {"--config", daemon.config_file().string(), "createsuperuser", "--username", "admin",
                           "--email", "admin@example.com", "--password-env", "AA_TEST_PASSWORD", "--noinput"},
                          {"AA_TEST_PASSWORD=correct horse battery"});
  REQUIRE(made.status == 0);

  Browser browser(daemon.base_url());
  browser.get("/admin/login/");
  for (int attempt = 0; attempt < 5; ++attempt) {
    CAPTURE(attempt);
    CHECK(browser.post("/admin/login/", {{"username", "admin"}, {"password", "wrong"}}).status == 400);
  }
  auto blocked = browser.post("/admin/login/", {{"username", "Admin"}, {"password", "correct horse battery"}});
  CHECK(blocked.status == 429);
  CHECK(blocked.body.find("Too many failed login attempts") != std::string::npos);
  CHECK(browser.get("/dashboard/").status == 302);
}

TEST_CASE("http: values from requests cannot forge log lines") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  browser.get("/admin/login/");
  browser.post("/admin/login/", {{"username", "nobody\n[2026-01-01 00:00:00.000] info     allianceauth: forged line"},
                                 {"password", "x"}});
  browser.get("/sso/callback?error=denied%0D%0Aforged%20second%20line");
  daemon.stop();  // Flushes the log.

  auto log = daemon.log();
  CHECK(log.find("\n[2026-01-01 00:00:00.000] info") == std::string::npos);
  CHECK(log.find("nobody\\n[2026-01-01") != std::string::npos);
  CHECK(log.find("\nforged second line") == std::string::npos);
  CHECK(log.find("denied\\r\\nforged second line") != std::string::npos);
}
