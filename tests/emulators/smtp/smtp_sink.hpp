// A loopback SMTP server for tests: it accepts the commands a client such as
// libcurl sends (EHLO/HELO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET,
// NOOP, QUIT), records every accepted message, and injects faults on
// request: refuse a connection with 554, or drop it after the message data
// arrived and before the reply, as a crashing relay would. With a
// certificate it speaks TLS, either from the first byte (smtps, port 465
// style) or after STARTTLS. It runs on its own thread and handles one
// connection at a time, which is all a test needs.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "test_certificate.hpp"

namespace aa::test {

enum class SmtpTls {
  none,      ///< Plain SMTP; STARTTLS is not offered.
  implicit,  ///< TLS handshake right after connecting, as smtps:// expects.
  starttls,  ///< Plain greeting, STARTTLS offered and required before AUTH and MAIL.
};

struct SmtpMessage {
  std::string mail_from;                ///< The address of MAIL FROM, without <>.
  std::vector<std::string> recipients;  ///< The addresses of RCPT TO.
  std::string data;                     ///< Headers and body, dot-unstuffed, with CRLF line ends.
  std::string auth_user;                ///< The AUTH PLAIN user, or empty.
  bool over_tls = false;                ///< The message data arrived encrypted.

  /// The value of the first header `name` (case-insensitive), unfolded.
  std::string header(const std::string& name) const;
  /// Everything after the blank line that ends the headers.
  std::string body() const;
};

class SmtpSink {
 public:
  /// Listens on 127.0.0.1 on a free port. With `user` set, AUTH PLAIN is
  /// offered and required, and only `user`/`password` is accepted.
  explicit SmtpSink(std::string user = {}, std::string password = {});
  /// The same, speaking TLS with `certificate` in the mode `tls` selects.
  SmtpSink(SmtpTls tls, const TestCertificate& certificate, std::string user = {}, std::string password = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }

  /// The next `count` connections are greeted with 554 and closed.
  void refuse_next(int count);
  /// The next `count` messages are read to the end of DATA, then the
  /// connection is closed without a reply; nothing is recorded.
  void drop_next(int count);

  std::vector<SmtpMessage> messages() const;
  /// Waits until at least `count` messages arrived; false on timeout.
  bool wait_for(std::size_t count, std::chrono::milliseconds timeout) const;
  /// Connections accepted so far, refused and dropped ones included.
  int connections() const;
  /// TLS handshakes that failed, e.g. because the client rejected the
  /// certificate.
  int failed_handshakes() const;

 private:
  struct Impl;
  void start();
  void serve();

  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::string user_;
  std::string password_;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<SmtpMessage> messages_;
  int refuse_ = 0;
  int drop_ = 0;
  int connections_ = 0;
  int failed_handshakes_ = 0;
  SmtpTls tls_ = SmtpTls::none;
  std::thread thread_;
};

}  // namespace aa::test
