// Outgoing mail over SMTP with libcurl: smtp:// with optional STARTTLS,
// smtps:// for implicit TLS, and AUTH when a user is configured. TLS always
// verifies the server's certificate and host name. Upstream's
// EMAIL_* settings map onto the `email:` section of the config.
#pragma once

#include <optional>
#include <string>

namespace aa {
class Settings;
}

namespace aa::core {

struct MailSettings {
  std::string host;  ///< Empty: mail is not configured.
  int port = 587;
  bool use_tls = true;   ///< STARTTLS, required (EMAIL_USE_TLS).
  bool use_ssl = false;  ///< Implicit TLS, smtps:// (EMAIL_USE_SSL).
  std::string user;      ///< AUTH only when set (EMAIL_HOST_USER).
  std::string password;  ///< EMAIL_HOST_PASSWORD.
  std::string ca_file;   ///< PEM file of the CA certificates to trust; empty: the system's.
  std::string from;      ///< "Name <address>" or "address" (DEFAULT_FROM_EMAIL).
  int timeout_seconds = 10;

  static MailSettings from_config(const aa::Settings& settings);
};

struct MailMessage {
  std::string to;  ///< One address.
  std::string subject;
  std::string body;  ///< Plain UTF-8 text; line ends are normalised to CRLF.
};

/// Checks an address as a user types it: at most 254 characters, one "@",
/// a local part and a dotted domain, no spaces, control characters, quotes
/// or angle brackets. Returns the problem, or nothing.
std::optional<std::string> email_address_problem(const std::string& address);

/// The whole message as sent: headers (Subject encoded per RFC 2047 when
/// it is not ASCII) and the body, with CRLF line ends.
std::string format_mail(const MailSettings& settings, const MailMessage& message);

/// Sends one message and waits for the server's answer. Returns nothing on
/// success, else what failed (curl's error and the server's last reply),
/// never the password.
std::optional<std::string> send_mail(const MailSettings& settings, const MailMessage& message);

}  // namespace aa::core
