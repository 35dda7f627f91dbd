// The only translation unit that includes Boost.Beast, because Beast and
// Asio coroutines dominate compile time.
#include "http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <csignal>
#include <exception>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace aa::emulator {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::mutex log_mutex;

void log_line(const std::string& line) {
    std::lock_guard lock(log_mutex);
    std::cerr << line << '\n';
}

Request to_request(const BeastRequest& source, const std::string& remote_address) {
    Request request;
    request.method = std::string(source.method_string());
    request.target = std::string(source.target());
    request.remote_address = remote_address;

    auto question = request.target.find('?');
    request.path = request.target.substr(0, question);
    if (question != std::string::npos) {
        request.query = request.target.substr(question + 1);
    }

    for (const auto& field : source) {
        std::string name(field.name_string());
        for (auto& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        auto [position, inserted] = request.headers.emplace(name, std::string(field.value()));
        if (!inserted) {
            position->second += ", " + std::string(field.value());
        }
    }

    request.body = source.body();
    return request;
}

BeastResponse to_beast(const Response& source, unsigned version, bool keep_alive) {
    BeastResponse response;
    response.version(version);
    response.result(source.status);
    response.reason(reason_phrase(source.status));
    for (const auto& [name, value] : source.headers) {
        response.set(name, value);
    }
    response.set(http::field::server, "aa-emulator");
    response.keep_alive(keep_alive);

    // RFC 9110 allows no body on 204 and 304. Content-Length stays off them
    // too, so that clients do not wait for bytes that never come.
    if (source.status == 304 || source.status == 204) {
        return response;
    }
    response.body() = source.body;
    response.prepare_payload();
    return response;
}

// Maps a read error to the status to send before closing: 413 and 431 for
// the size caps, 400 for a malformed request, 0 (send nothing) when the peer
// closed or timed out.
unsigned status_for_read_error(const beast::error_code& error) {
    if (error == http::error::body_limit) {
        return 413;
    }
    if (error == http::error::header_limit) {
        return 431;
    }
    if (error == http::error::end_of_stream || error == http::error::partial_message) {
        return 0;
    }
    if (error.category() == beast::error_code(http::error::bad_method).category()) {
        return 400;
    }
    return 0;
}

}  // namespace

struct HttpServer::Impl {
    ServerOptions options;
    std::function<Response(Request&)> handler;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    asio::signal_set signals{io, SIGINT, SIGTERM};

    Impl(ServerOptions opts, std::function<Response(Request&)> h)
        : options(std::move(opts)), handler(std::move(h)) {}

    void bind() {
        beast::error_code error;
        auto address = asio::ip::make_address(options.host, error);
        if (error) {
            throw std::runtime_error("invalid --host address '" + options.host + "': " + error.message());
        }
        tcp::endpoint endpoint(address, options.port);
        acceptor.open(endpoint.protocol());
        acceptor.set_option(asio::socket_base::reuse_address(true));
        acceptor.bind(endpoint, error);
        if (error) {
            throw std::runtime_error("cannot bind " + options.host + ":" +
                                     std::to_string(options.port) + ": " + error.message());
        }
        acceptor.listen();
    }

    Response handle(Request& request) {
        try {
            return handler(request);
        } catch (const std::exception& error) {
            log_line("error: handler for " + request.method + " " + request.target +
                     " threw: " + error.what());
            return Response::text(500, R"({"error":"internal error in the emulator, see its log"})",
                                  "application/json; charset=utf-8");
        }
    }

    asio::awaitable<void> write_error(beast::tcp_stream& stream, unsigned status, unsigned version) {
        auto response = to_beast(
            Response::text(status, "{\"error\":\"" + std::string(reason_phrase(status)) + "\"}",
                           "application/json; charset=utf-8"),
            version, false);
        stream.expires_after(options.io_timeout);
        co_await http::async_write(stream, response, use_tuple);
    }

    asio::awaitable<void> serve(tcp::socket socket) {
        beast::error_code ignored;
        auto peer = socket.remote_endpoint(ignored);
        std::string remote_address = peer.address().to_string();
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;

        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
            parser.body_limit(options.max_body_bytes);

            stream.expires_after(options.io_timeout);
            auto [read_error, bytes_read] = co_await http::async_read(stream, buffer, parser, use_tuple);
            if (read_error) {
                auto status = status_for_read_error(read_error);
                if (status != 0) {
                    log_line("rejected request from " + remote_address + ": " + read_error.message());
                    co_await write_error(stream, status, 11);
                }
                break;
            }

            const auto& beast_request = parser.get();
            auto request = to_request(beast_request, remote_address);
            auto started = std::chrono::steady_clock::now();
            auto response = handle(request);

            if (response.drop_connection) {
                if (options.log_requests) {
                    log_line(request.method + " " + request.target + " -> connection dropped");
                }
                break;
            }
            if (response.delay.count() > 0) {
                asio::steady_timer timer(stream.get_executor(), response.delay);
                co_await timer.async_wait(use_tuple);
            }

            bool keep_alive = beast_request.keep_alive();
            auto out = to_beast(response, beast_request.version(), keep_alive);
            stream.expires_after(options.io_timeout);
            auto [write_error, bytes_written] = co_await http::async_write(stream, out, use_tuple);

            if (options.log_requests) {
                auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started);
                log_line(request.method + " " + request.target + " -> " +
                         std::to_string(response.status) + " (" + std::to_string(elapsed.count()) +
                         " ms)");
            }
            if (write_error || !keep_alive) {
                break;
            }
        }

        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            // Each connection runs on its own strand, because beast::tcp_stream
            // timeouts need one when several threads run the io_context.
            auto [error, socket] = co_await acceptor.async_accept(asio::make_strand(io), use_tuple);
            if (error) {
                if (error == asio::error::operation_aborted) {
                    co_return;
                }
                log_line("error: accept failed: " + error.message());
                continue;
            }
            auto executor = socket.get_executor();
            asio::co_spawn(executor, serve(std::move(socket)), [](std::exception_ptr failure) {
                if (!failure) {
                    return;
                }
                try {
                    std::rethrow_exception(failure);
                } catch (const std::exception& exception) {
                    log_line(std::string("error: connection failed: ") + exception.what());
                }
            });
        }
    }
};

HttpServer::HttpServer(ServerOptions options, std::function<Response(Request&)> handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {
    impl_->bind();
}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void HttpServer::run() {
    impl_->signals.async_wait([this](const beast::error_code& error, int signal_number) {
        if (!error) {
            log_line("received signal " + std::to_string(signal_number) + ", stopping");
            stop();
        }
    });
    asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);

    std::vector<std::thread> workers;
    for (int i = 1; i < impl_->options.threads; ++i) {
        workers.emplace_back([this] { impl_->io.run(); });
    }
    impl_->io.run();
    for (auto& worker : workers) {
        worker.join();
    }
}

void HttpServer::stop() {
    impl_->io.stop();
}

}  // namespace aa::emulator
