#include "smtp_sink.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/detail/base64.hpp>

#include <algorithm>
#include <cctype>
#include <optional>

namespace aa::test {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// The address inside "<...>" of a MAIL FROM or RCPT TO argument.
std::string address_of(const std::string& argument) {
  auto open = argument.find('<');
  auto close = argument.find('>', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return argument;
  return argument.substr(open + 1, close - open - 1);
}

std::string decode_base64(const std::string& text) {
  namespace b64 = boost::beast::detail::base64;
  std::string out(b64::decoded_size(text.size()), '\0');
  auto [written, read] = b64::decode(out.data(), text.data(), text.size());
  (void)read;
  out.resize(written);
  return out;
}

// One client connection: plain until TLS starts, then through the TLS
// stream. Errors end the conversation: read_line returns nothing.
class Connection {
 public:
  Connection(tcp::socket& socket, asio::ssl::context* tls) : socket_(socket), tls_(tls) {}

  // Runs the server side of the handshake. Bytes the client sent before it
  // are dropped, as RFC 3207 requires after STARTTLS.
  bool start_tls() {
    buffer_.consume(buffer_.size());
    stream_.emplace(socket_, *tls_);
    stream_->handshake(asio::ssl::stream_base::server, ec_);
    return !ec_;
  }

  bool encrypted() const { return stream_.has_value(); }

  void send(const std::string& line) {
    std::string bytes = line + "\r\n";
    if (stream_) asio::write(*stream_, asio::buffer(bytes), ec_);
    else asio::write(socket_, asio::buffer(bytes), ec_);
  }

  std::optional<std::string> read_line() {
    if (stream_) asio::read_until(*stream_, buffer_, "\r\n", ec_);
    else asio::read_until(socket_, buffer_, "\r\n", ec_);
    if (ec_) return std::nullopt;
    std::istream in(&buffer_);
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

 private:
  tcp::socket& socket_;
  asio::ssl::context* tls_;
  std::optional<asio::ssl::stream<tcp::socket&>> stream_;
  asio::streambuf buffer_;
  boost::system::error_code ec_;
};

}  // namespace

std::string SmtpMessage::header(const std::string& name) const {
  auto wanted = lower(name) + ":";
  std::size_t at = 0;
  while (at < data.size()) {
    auto end = data.find("\r\n", at);
    if (end == std::string::npos || end == at) break;
    auto line = data.substr(at, end - at);
    if (lower(line.substr(0, wanted.size())) == wanted) {
      auto value = line.substr(wanted.size());
      // Continuation lines start with white space.
      for (auto next = end + 2; next < data.size() && (data[next] == ' ' || data[next] == '\t');) {
        auto next_end = data.find("\r\n", next);
        value += data.substr(next, next_end - next);
        next = next_end + 2;
      }
      value.erase(0, value.find_first_not_of(" \t"));
      return value;
    }
    at = end + 2;
  }
  return {};
}

std::string SmtpMessage::body() const {
  auto split = data.find("\r\n\r\n");
  return split == std::string::npos ? std::string() : data.substr(split + 4);
}

struct SmtpSink::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::optional<asio::ssl::context> tls;
};

SmtpSink::SmtpSink(std::string user, std::string password)
    : impl_(std::make_unique<Impl>()), user_(std::move(user)), password_(std::move(password)) {
  start();
}

SmtpSink::SmtpSink(SmtpTls tls, const TestCertificate& certificate, std::string user, std::string password)
    : impl_(std::make_unique<Impl>()), user_(std::move(user)), password_(std::move(password)), tls_(tls) {
  if (tls_ != SmtpTls::none) {
    auto& context = impl_->tls.emplace(asio::ssl::context::tls_server);
    context.use_certificate_chain_file(certificate.certificate_file.string());
    context.use_private_key_file(certificate.key_file.string(), asio::ssl::context::pem);
  }
  start();
}

void SmtpSink::start() {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  port_ = impl_->acceptor.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

SmtpSink::~SmtpSink() {
  boost::system::error_code ignored;
  // Waking the blocked accept with a connection of our own is portable;
  // closing the acceptor from another thread is not.
  {
    std::lock_guard lock(mutex_);
    port_ = -port_;
  }
  tcp::socket wake(impl_->io);
  wake.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(-port_)), ignored);
  if (thread_.joinable()) thread_.join();
}

void SmtpSink::refuse_next(int count) {
  std::lock_guard lock(mutex_);
  refuse_ = count;
}

void SmtpSink::drop_next(int count) {
  std::lock_guard lock(mutex_);
  drop_ = count;
}

std::vector<SmtpMessage> SmtpSink::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

bool SmtpSink::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return arrived_.wait_for(lock, timeout, [&] { return messages_.size() >= count; });
}

int SmtpSink::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

int SmtpSink::failed_handshakes() const {
  std::lock_guard lock(mutex_);
  return failed_handshakes_;
}

void SmtpSink::serve() {
  for (;;) {
    tcp::socket socket(impl_->io);
    boost::system::error_code ec;
    impl_->acceptor.accept(socket, ec);
    bool refuse = false;
    {
      std::lock_guard lock(mutex_);
      if (port_ < 0) return;  // The destructor's wake-up call.
      if (ec) continue;
      ++connections_;
      if (refuse_ > 0) {
        --refuse_;
        refuse = true;
      }
    }

    Connection connection(socket, impl_->tls ? &*impl_->tls : nullptr);
    auto send = [&](const std::string& line) { connection.send(line); };
    auto read_line = [&] { return connection.read_line(); };
    auto start_tls = [&] {
      if (connection.start_tls()) return true;
      std::lock_guard lock(mutex_);
      ++failed_handshakes_;
      return false;
    };

    if (tls_ == SmtpTls::implicit && !start_tls()) {
      socket.close(ec);
      continue;
    }
    if (refuse) {
      send("554 5.3.2 sink refuses service (fault injected)");
      continue;
    }
    send("220 127.0.0.1 aa-smtp-sink ESMTP");

    SmtpMessage message;
    bool authenticated = user_.empty();
    while (auto line = read_line()) {
      auto verb = lower(line->substr(0, line->find(' ')));
      auto argument = line->find(' ') == std::string::npos ? std::string() : line->substr(line->find(' ') + 1);
      // In STARTTLS mode nothing but the greeting commands goes in clear text.
      bool needs_tls = tls_ == SmtpTls::starttls && !connection.encrypted();
      if (needs_tls && (verb == "auth" || verb == "mail" || verb == "rcpt" || verb == "data")) {
        send("530 5.7.0 Must issue a STARTTLS command first");
        continue;
      }
      if (verb == "ehlo") {
        send("250-127.0.0.1");
        if (needs_tls) send("250-STARTTLS");
        if (!user_.empty()) send("250-AUTH PLAIN");
        send("250-8BITMIME");
        send("250 SIZE 10485760");
      } else if (verb == "starttls") {
        if (!needs_tls) {
          send("503 5.5.1 TLS not available");
          continue;
        }
        send("220 2.0.0 Ready to start TLS");
        if (!start_tls()) break;
        // The client starts over with EHLO, and AUTH from before STARTTLS
        // no longer applies.
        message = {};
        authenticated = user_.empty();
      } else if (verb == "helo" || verb == "noop") {
        send("250 OK");
      } else if (verb == "auth") {
        // "AUTH PLAIN <base64 of \0user\0password>", or the credentials on the next line.
        auto space = argument.find(' ');
        std::string encoded = space == std::string::npos ? std::string() : argument.substr(space + 1);
        if (encoded.empty()) {
          send("334 ");
          auto next = read_line();
          if (!next) break;
          encoded = *next;
        }
        auto plain = decode_base64(encoded);
        auto first = plain.find('\0');
        auto second = plain.find('\0', first + 1);
        std::string user = first == std::string::npos ? "" : plain.substr(first + 1, second - first - 1);
        std::string password = second == std::string::npos ? "" : plain.substr(second + 1);
        if (!user_.empty() && user == user_ && password == password_) {
          authenticated = true;
          message.auth_user = user;
          send("235 2.7.0 Authentication successful");
        } else {
          send("535 5.7.8 Authentication credentials invalid");
        }
      } else if (verb == "mail") {
        if (!authenticated) {
          send("530 5.7.0 Authentication required");
          continue;
        }
        message.mail_from = address_of(argument);
        message.recipients.clear();
        send("250 OK");
      } else if (verb == "rcpt") {
        message.recipients.push_back(address_of(argument));
        send("250 OK");
      } else if (verb == "data") {
        if (message.recipients.empty()) {
          send("503 5.5.1 RCPT first");
          continue;
        }
        send("354 End data with <CR><LF>.<CR><LF>");
        std::string data;
        bool complete = false;
        while (auto data_line = read_line()) {
          if (*data_line == ".") {
            complete = true;
            break;
          }
          // Dot-unstuffing (RFC 5321 4.5.2).
          data += (data_line->starts_with("..") ? data_line->substr(1) : *data_line) + "\r\n";
        }
        if (!complete) break;
        bool drop = false;
        {
          std::lock_guard lock(mutex_);
          if (drop_ > 0) {
            --drop_;
            drop = true;
          }
        }
        if (drop) break;  // Closes without a reply.
        message.data = std::move(data);
        message.over_tls = connection.encrypted();
        {
          std::lock_guard lock(mutex_);
          messages_.push_back(message);
        }
        arrived_.notify_all();
        send("250 2.0.0 OK queued");
        message.recipients.clear();
      } else if (verb == "rset") {
        message.recipients.clear();
        send("250 OK");
      } else if (verb == "quit") {
        send("221 2.0.0 Bye");
        break;
      } else {
        send("502 5.5.2 Command not recognised");
      }
    }
    socket.close(ec);
  }
}

}  // namespace aa::test
