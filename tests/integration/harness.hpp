// The integration harness: the real daemon and the EVE emulator as child
// processes on loopback, and a browser-like HTTP client with a cookie jar.
#pragma once

#include <curl/curl.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "child_process.hpp"
#include "db_queries.hpp"
#include "test_support.hpp"

namespace aa::test {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< Lower-case names; the last value of a repeated header.
  std::vector<std::string> set_cookies;

  std::string header(const std::string& name) const;
  std::string location() const { return header("location"); }
};

/// One browser: a cookie jar and no automatic redirects.
class Browser {
 public:
  explicit Browser(std::string base_url);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  /// GET of a path on the daemon or an absolute URL.
  HttpResponse get(const std::string& path_or_url, const std::vector<std::string>& headers = {});
  /// POST of a form; the CSRF token of the last page seen is added unless
  /// `csrf` is false.
  HttpResponse post(const std::string& path, std::vector<std::pair<std::string, std::string>> fields, bool csrf = true,
                    const std::vector<std::string>& headers = {});
  /// Follows redirects from `response` until a non-redirect answer.
  HttpResponse follow(HttpResponse response, int max_hops = 10);

  std::optional<std::string> cookie(const std::string& name) const;
  void set_cookie(const std::string& name, const std::string& value);
  void clear_cookies();
  /// The csrfmiddlewaretoken of the last HTML page fetched.
  const std::string& csrf_token() const { return csrf_token_; }
  const std::string& base_url() const { return base_url_; }

 private:
  HttpResponse perform(const std::string& url, const std::string* form_body, const std::vector<std::string>& headers);

  std::string base_url_;
  CURL* curl_ = nullptr;
  std::string csrf_token_;
};

/// The EVE SSO + ESI emulator on a free port.
class Emulator {
 public:
  Emulator();
  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// POSTs JSON to /_emulator/<path>; throws on a non-2xx answer.
  void control(const std::string& path, const std::string& json);
  void clear_faults();
  /// Requests per route since the last reset, e.g. "post_characters_affiliation".
  int request_count(const std::string& route);

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

/// An instance directory, migrated, with the daemon serving on a free port.
class Daemon {
 public:
  /// `extra_yaml` is appended to the config (e.g. more plugins).
  Daemon(const std::string& backend, Emulator& emulator, const std::string& extra_yaml = {});
  ~Daemon();

  const std::string& base_url() const { return base_url_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  std::filesystem::path config_file() const { return dir_.path() / "allianceauth.yaml"; }
  /// A database session on the instance's database.
  soci::session& db();
  /// Runs `allianceauth --config FILE args...` to completion.
  CommandResult cli(const std::vector<std::string>& args);
  /// Starts serving (after migrate); the constructor calls it. A shell
  /// command in `limits` (e.g. "ulimit -n 200") runs first in the daemon's shell.
  void start(const std::string& limits = {});
  void stop();
  /// Ends the daemon with SIGKILL, as a crash or the OOM killer would.
  void kill();
  /// The daemon's log/allianceauth.log so far.
  std::string log() const;

 private:
  std::string backend_;
  TempDir dir_;
  int port_ = 0;
  std::string base_url_;
  std::unique_ptr<ChildProcess> process_;
  std::unique_ptr<soci::session> db_;
};

/// Logs `browser` in through the emulator as `character_id`, starting at
/// `start_path`; returns the daemon's answer to the SSO callback.
HttpResponse sso_flow(Browser& browser, long long character_id, const std::string& start_path = "/sso/login/");

/// Logs `browser` in as `character_id` with sso_flow, failing the test
/// unless the login ends in a redirect, and returns the id of the user who
/// owns the character.
long long log_in(Daemon& daemon, Browser& browser, long long character_id);

/// Sends raw bytes and returns the raw answer (for malformed requests).
std::string raw_request(int port, const std::string& bytes);

long long count_rows(soci::session& sql, const std::string& table);

}  // namespace aa::test
