// A one-thread HTTP/1.1 server on 127.0.0.1 that returns scripted responses
// in order and records every request, for client behaviour the emulator
// cannot show (request headers, an Expires date in the past).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace aa::test {

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  ///< Lower-case names.
  std::string body;

  /// The header's value, or "" when the request had none.
  std::string header(const std::string& lower_case_name) const;
};

class ScriptedHttpServer {
 public:
  /// Listens on a free loopback port. Each connection gets the next response
  /// of `responses` and is closed. Once they are used up, the status is 500.
  explicit ScriptedHttpServer(std::vector<ScriptedResponse> responses);
  ~ScriptedHttpServer();
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  /// Adds a response after the scripted ones, e.g. one that names base_url().
  void append(ScriptedResponse response);
  /// Every request received so far, in order.
  std::vector<RecordedRequest> requests() const;

 private:
  void serve();
  void handle(int connection);

  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<ScriptedResponse> responses_;
  std::size_t next_response_ = 0;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::thread thread_;
};

}  // namespace aa::test
