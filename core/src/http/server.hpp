// The HTTP/1.1 server on Boost.Beast: keep-alive, header and body size
// limits, read timeouts. Parsing and writing run on the IO threads; every
// request that is not answered by the fast path runs on the worker pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/raw.hpp"

namespace aa::core {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;  ///< 0 picks a free port; see HttpServer::port().
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds read_timeout{30};
  std::chrono::seconds keep_alive{60};
  /// Open connections at most; further clients wait in the listen backlog.
  /// Lowered at start to leave room below the process's file descriptor limit.
  std::size_t max_connections = 10000;
};

struct RequestHandlers {
  /// Runs on an IO thread; answers cheap requests (static files) directly.
  /// Returns nothing to pass the request on to `handle`. Must not block.
  std::function<std::optional<RawResponse>(const RawRequest&)> fast_path;
  /// Runs on a worker thread. Must not throw; the server answers 500 if it does.
  std::function<RawResponse(RawRequest&)> handle;
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandlers handlers);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts the IO and worker threads. Throws std::system_error
  /// naming the address when the port cannot be bound.
  void start();
  /// The bound port, useful after starting on port 0.
  std::uint16_t port() const;
  /// Stops accepting, lets running views finish, closes connections, joins threads.
  void stop();
  /// Blocks until stop() is called or SIGINT/SIGTERM arrives.
  void wait_for_signal();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aa::core
