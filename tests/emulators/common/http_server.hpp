// HTTP/1.1 server for the emulators: one coroutine per connection, keep-alive,
// a capped request size. This header keeps Boost.Beast out of its includers.
#pragma once

#include "http_message.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace aa::emulator {

struct ServerOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 0;  // 0 lets the system pick a free port
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::chrono::seconds io_timeout{60};  // per read or write
    int threads = 2;
    bool log_requests = true;  // one line per request on stderr
};

class HttpServer {
public:
    // Binds and listens at once, so port() is known before run(). Throws
    // std::runtime_error naming the address when the bind fails.
    HttpServer(ServerOptions options, std::function<Response(Request&)> handler);
    ~HttpServer();

    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    unsigned short port() const;

    // Serves until stop() is called or the process gets SIGINT or SIGTERM.
    void run();

    // Safe to call from any thread, including a handler.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace aa::emulator
