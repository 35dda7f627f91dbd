#include "http/server.hpp"

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <sys/resource.h>

#include <atomic>
#include <optional>
#include <thread>
#include <vector>

#include "app/logging.hpp"

namespace aa::core {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

RawResponse plain_error(int status, std::string_view text) {
  RawResponse response;
  response.status = status;
  response.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
  response.body = std::string(text) + "\n";
  return response;
}

// Requests that proxies and this server could read differently are refused
// (RFC 9112): HTTP/1.1 without exactly one Host, more than one Host, and a
// Transfer-Encoding other than plain chunked.
std::optional<std::string_view> framing_problem(const http::request<http::string_body>& request) {
  auto hosts = request.count(http::field::host);
  if (hosts > 1) return "Bad Request: more than one Host header";
  if (hosts == 0 && request.version() >= 11) return "Bad Request: HTTP/1.1 needs a Host header";
  auto encoding = request[http::field::transfer_encoding];
  if (!encoding.empty() && !beast::iequals(encoding, "chunked")) {
    return "Bad Request: only the chunked transfer coding is accepted";
  }
  return std::nullopt;
}

RawRequest to_raw(const http::request<http::string_body>& request, const std::string& remote) {
  RawRequest raw;
  raw.method_text = std::string(request.method_string());
  raw.method = parse_method(raw.method_text);
  raw.target = std::string(request.target());
  raw.headers.reserve(16);
  for (const auto& field : request) raw.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  raw.body = request.body();
  raw.remote_address = remote;
  return raw;
}

http::response<http::string_body> to_beast(RawResponse&& raw, unsigned version, bool keep_alive) {
  http::response<http::string_body> response{static_cast<http::status>(raw.status), version};
  for (auto& [name, value] : raw.headers) response.insert(name, value);
  if (response.find(http::field::server) == response.end()) response.set(http::field::server, "allianceauth");
  response.keep_alive(keep_alive);
  auto size = raw.body.size();
  if (!raw.omit_body) response.body() = std::move(raw.body);
  response.content_length(size);
  return response;
}

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  RequestHandlers handlers;
  asio::io_context io{1};
  asio::thread_pool workers;
  tcp::acceptor acceptor{io};
  std::vector<std::thread> io_threads;
  std::atomic<bool> stopping{false};
  std::uint16_t bound_port = 0;
  std::atomic<std::size_t> connections{0};
  // Accept failures are logged at most once per interval, with a count.
  std::chrono::steady_clock::time_point last_accept_log{};
  std::size_t unlogged_accept_failures = 0;

  Impl(ServerOptions opts, RequestHandlers h)
      : options(std::move(opts)), handlers(std::move(h)), io(options.io_threads),
        workers(static_cast<std::size_t>(options.worker_threads)) {}

  // A plain coroutine function rather than a capturing lambda: the
  // parameters live in the coroutine frame, while a lambda's captures live in
  // a closure object that GCC 12 destroyed twice here.
  static asio::awaitable<RawResponse> call_handler(const RequestHandlers* handlers, RawRequest request) {
    try {
      co_return handlers->handle(request);
    } catch (const std::exception& error) {
      core_log().error("request handler failed on {}: {}", request.target, error.what());
      co_return plain_error(500, "Internal Server Error");
    }
  }

  asio::awaitable<RawResponse> run_on_worker(RawRequest request) {
    co_return co_await asio::co_spawn(workers, call_handler(&handlers, std::move(request)), asio::use_awaitable);
  }

  // Counts a connection for as long as it is served.
  struct ConnectionSlot {
    std::atomic<std::size_t>& count;
    explicit ConnectionSlot(std::atomic<std::size_t>& c) : count(c) { ++count; }
    ~ConnectionSlot() { --count; }
  };

  asio::awaitable<void> serve_connection(tcp::socket socket) {
    ConnectionSlot slot(connections);
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    std::string remote;
    {
      beast::error_code ec;
      auto endpoint = stream.socket().remote_endpoint(ec);
      if (!ec) remote = endpoint.address().to_string();
    }

    bool first = true;
    while (!stopping) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
      parser.body_limit(options.max_body_bytes);
      // The first request gets the read timeout; later ones on the same
      // connection get the keep-alive idle time.
      stream.expires_after(first ? options.read_timeout : options.keep_alive);
      first = false;

      auto [ec, bytes] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      (void)bytes;
      if (ec == http::error::end_of_stream || ec == asio::error::operation_aborted || ec == beast::error::timeout ||
          ec == asio::error::connection_reset || ec == asio::error::eof) {
        break;
      }
      if (ec) {
        int status = 400;
        std::string_view text = "Bad Request";
        if (ec == http::error::body_limit) {
          status = 413;
          text = "Request body too large";
        } else if (ec == http::error::header_limit) {
          status = 431;
          text = "Request header fields too large";
        }
        auto response = to_beast(plain_error(status, text), 11, false);
        stream.expires_after(options.read_timeout);
        co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
        break;
      }

      auto& request = parser.get();
      if (auto problem = framing_problem(request)) {
        auto response = to_beast(plain_error(400, *problem), 11, false);
        stream.expires_after(options.read_timeout);
        co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
        break;
      }
      bool keep_alive = request.keep_alive();
      unsigned version = request.version();
      RawRequest raw = to_raw(request, remote);

      std::optional<RawResponse> answer;
      if (handlers.fast_path) answer = handlers.fast_path(raw);
      if (!answer) answer = co_await run_on_worker(std::move(raw));

      auto response = to_beast(std::move(*answer), version, keep_alive && !stopping);
      stream.expires_after(options.read_timeout);
      auto [write_ec, written] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      (void)written;
      if (write_ec || !response.keep_alive()) break;
    }

    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  asio::awaitable<void> pause(std::chrono::milliseconds duration) {
    asio::steady_timer timer(acceptor.get_executor(), duration);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }

  void log_accept_failure(const beast::error_code& ec) {
    ++unlogged_accept_failures;
    auto now = std::chrono::steady_clock::now();
    if (now - last_accept_log < std::chrono::seconds(10)) return;
    core_log().warn("accepting connections failed {} time(s) in the last 10 s: {}; {} connections are open; "
                    "retrying in 100 ms",
                    unlogged_accept_failures, ec.message(), connections.load());
    unlogged_accept_failures = 0;
    last_accept_log = now;
  }

  asio::awaitable<void> accept_loop() {
    while (!stopping) {
      // At the connection limit, leave new clients in the listen backlog
      // until a connection closes.
      if (connections.load() >= options.max_connections) {
        co_await pause(std::chrono::milliseconds(10));
        continue;
      }
      auto [ec, socket] = co_await acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) {
        if (ec == asio::error::operation_aborted) break;
        // Out of file descriptors or memory: retrying at once would spin and
        // flood the log, so wait a little.
        log_accept_failure(ec);
        co_await pause(std::chrono::milliseconds(100));
        continue;
      }
      socket.set_option(tcp::no_delay(true));
      asio::co_spawn(acceptor.get_executor(), serve_connection(std::move(socket)), asio::detached);
    }
  }
};

HttpServer::HttpServer(ServerOptions options, RequestHandlers handlers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handlers))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  auto& impl = *impl_;
  // Keep 64 descriptors for the database, log files and outgoing HTTP.
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur > 128) {
    impl.options.max_connections = std::min<std::size_t>(impl.options.max_connections, limit.rlim_cur - 64);
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(impl.options.host, ec);
  if (ec) throw std::system_error(ec, "invalid listen address '" + impl.options.host + "'");
  tcp::endpoint endpoint(address, impl.options.port);

  impl.acceptor.open(endpoint.protocol());
  impl.acceptor.set_option(asio::socket_base::reuse_address(true));
  impl.acceptor.bind(endpoint, ec);
  if (ec) {
    throw std::system_error(ec, "cannot listen on " + impl.options.host + ":" + std::to_string(impl.options.port));
  }
  impl.acceptor.listen(asio::socket_base::max_listen_connections);
  impl.bound_port = impl.acceptor.local_endpoint().port();

  asio::co_spawn(impl.io, impl.accept_loop(), asio::detached);
  for (int i = 0; i < impl.options.io_threads; ++i) {
    impl.io_threads.emplace_back([&impl] { impl.io.run(); });
  }
}

std::uint16_t HttpServer::port() const { return impl_->bound_port; }

void HttpServer::stop() {
  auto& impl = *impl_;
  if (impl.stopping.exchange(true)) return;
  asio::post(impl.io, [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
  });
  impl.workers.join();
  impl.io.stop();
  for (auto& thread : impl.io_threads) {
    if (thread.joinable()) thread.join();
  }
}

void HttpServer::wait_for_signal() {
  asio::io_context signal_io;
  asio::signal_set signals(signal_io, SIGINT, SIGTERM);
  signals.async_wait([](const beast::error_code&, int) {});
  signal_io.run();
}

}  // namespace aa::core
