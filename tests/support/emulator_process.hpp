// The EVE SSO + ESI emulator (aa-eve-emulator) as a child process on a free
// loopback port, with helpers for its /_emulator/ control API and for getting
// tokens through its authorize and token endpoints. The control API and the
// endpoints are described in tests/emulators/README.md.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "child_process.hpp"

namespace aa::test {

/// The SSO application the emulator accepts unless started with other values.
inline constexpr const char* kEmulatorClientId = "aa-demo-client";
inline constexpr const char* kEmulatorClientSecret = "aa-demo-secret";
/// The `iss` claim of the emulator's tokens, which is EVE's.
inline constexpr const char* kEveIssuer = "https://login.eveonline.com";

/// Sample characters of tests/data/emulator/characters.json.
namespace sample {
inline constexpr long long kaelen_brightwater = 2112000001;  ///< KarmaFleet, Goonswarm Federation
inline constexpr long long tovin_marsh = 2112000002;         ///< Omicron Project, Get Off My Lawn
inline constexpr long long ilse_rendahl = 2112000003;        ///< C C P, C C P Alliance
inline constexpr long long mira_osullivan = 2112000004;      ///< Mira O'Sullivan, KarmaFleet
inline constexpr long long oren_falk = 2112000005;           ///< NPC corporation 1000044, no alliance
inline constexpr long long dagny_solheim = 2112000006;       ///< Tribal Liberation Force, faction 500002
inline constexpr long long bram_ostrander = 2112000007;      ///< Doomheim 1000001 (biomassed)
}  // namespace sample

/// Tokens from the emulator's token endpoint.
struct EmulatorTokens {
  std::string access_token;
  std::string refresh_token;
  long long expires_in = 0;
};

class EmulatorProcess {
 public:
  /// Starts the emulator on port 0 and reads the port from its
  /// "LISTENING <port>" line. Throws std::runtime_error when that line does
  /// not appear within 10 seconds. The emulator's stderr goes to /dev/null.
  EmulatorProcess();
  /// Stops the emulator with SIGTERM when stop() was not called.
  ~EmulatorProcess();
  EmulatorProcess(const EmulatorProcess&) = delete;
  EmulatorProcess& operator=(const EmulatorProcess&) = delete;

  int port() const { return port_; }
  /// "http://127.0.0.1:<port>", the base of both the SSO and ESI routes.
  std::string base_url() const;
  /// The SSO metadata document (RFC 8414) with every endpoint on the emulator.
  std::string metadata_url() const;
  /// The ESI base URL, like https://esi.evetech.net/latest.
  std::string esi_url() const;

  /// Sends SIGTERM, waits for the exit and returns the exit status; -1 when
  /// the emulator had to be killed.
  int stop();

  /// Sends `method` to /_emulator/<path> with a JSON body and returns the
  /// parsed JSON response. Throws std::runtime_error with the status and body
  /// when the status is not 2xx.
  boost::json::value control(const std::string& method, const std::string& path, const std::string& json_body = {});
  /// POST /_emulator/faults, e.g. R"({"esi": "5xx", "status": 502, "count": 2})".
  void inject_fault(const std::string& json_body);
  void clear_faults();
  /// Restores every character and clears faults; issued tokens keep working.
  void reset();
  /// POST /_emulator/characters/<id>, e.g. R"({"owner_hash": "..."})".
  void update_character(long long character_id, const std::string& json_body);
  /// Requests served on `route` (e.g. "get_status", "sso_token") since the
  /// last clear_requests().
  int request_count(const std::string& route);
  int total_requests();
  void clear_requests();

  /// Runs the authorize step as the browser would for `character_id` and
  /// returns the code from the redirect. Throws when there is no redirect.
  std::string authorize_code(long long character_id, const std::vector<std::string>& scopes);
  /// Exchanges `code` at the token endpoint with the demo client's Basic
  /// authentication. Throws when the status is not 200.
  EmulatorTokens exchange_code(const std::string& code);
  /// authorize_code() followed by exchange_code().
  EmulatorTokens tokens_for(long long character_id, const std::vector<std::string>& scopes = {"publicData"});
  /// The body of GET /oauth/jwks.
  std::string jwks();

 private:
  std::unique_ptr<ChildProcess> process_;
  int port_ = 0;
};

/// One emulator for the whole test run, started on first use, so each test
/// does not pay for a process start and a new RSA key. Every call resets it
/// (characters restored, faults cleared) and clears its request counts.
/// It is not thread-safe, which is fine because doctest runs tests one at a time.
EmulatorProcess& shared_emulator();

}  // namespace aa::test
