#include "mailer.hpp"

#include <curl/curl.h>

#include <chrono>
#include <memory>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "aa/settings.hpp"
#include "auth/crypto.hpp"

namespace aa::core {
namespace {

bool has_line_break(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

bool is_ascii(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// RFC 2047 encoded-word for a header value that is not plain ASCII.
std::string encode_header(const std::string& text) {
  if (is_ascii(text)) return text;
  return "=?utf-8?b?" + base64_encode(text) + "?=";
}

// The bare address of "Name <address>" or "address".
std::string address_part(const std::string& mailbox) {
  auto open = mailbox.rfind('<');
  auto close = mailbox.rfind('>');
  if (open == std::string::npos || close == std::string::npos || close < open) return mailbox;
  return mailbox.substr(open + 1, close - open - 1);
}

std::string crlf_lines(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') continue;
    if (text[i] == '\n') out += "\r\n";
    else out += text[i];
  }
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}

struct Upload {
  const std::string& data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t room = size * count;
  std::size_t left = upload->data.size() - upload->offset;
  std::size_t n = std::min(room, left);
  std::copy_n(upload->data.data() + upload->offset, n, buffer);
  upload->offset += n;
  return n;
}

}  // namespace

MailSettings MailSettings::from_config(const aa::Settings& settings) {
  MailSettings mail;
  mail.host = settings.get_string("email.host").value_or("");
  mail.port = static_cast<int>(settings.get_int("email.port").value_or(587));
  mail.use_tls = settings.get_bool("email.use_tls").value_or(true);
  mail.use_ssl = settings.get_bool("email.use_ssl").value_or(false);
  mail.user = settings.get_string("email.host_user").value_or("");
  mail.password = settings.get_string("email.host_password").value_or("");
  mail.ca_file = settings.get_string("email.ca_file").value_or("");
  mail.from = settings.get_string("email.from").value_or("");
  mail.timeout_seconds = static_cast<int>(settings.get_int("email.timeout_seconds").value_or(10));
  return mail;
}

std::optional<std::string> email_address_problem(const std::string& address) {
  if (address.empty()) return "the email address is empty";
  if (address.size() > 254) return "the email address is longer than 254 characters";
  for (unsigned char c : address) {
    if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' ||
        c == ';' || c == ':' || c == '\\' || c == '[' || c == ']') {
      return "the email address contains a space or a character that addresses cannot have";
    }
  }
  auto at = address.find('@');
  if (at == std::string::npos || address.find('@', at + 1) != std::string::npos) {
    return "the email address needs exactly one @";
  }
  auto local = address.substr(0, at);
  auto domain = address.substr(at + 1);
  if (local.empty() || local.size() > 64) return "the part before @ must be 1 to 64 characters long";
  auto dot = domain.find('.');
  if (domain.empty() || dot == std::string::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string::npos || domain.front() == '-') {
    return "the part after @ must be a domain such as example.com";
  }
  return std::nullopt;
}

std::string format_mail(const MailSettings& settings, const MailMessage& message) {
  auto now = std::chrono::system_clock::now();
  auto domain = address_part(settings.from);
  domain = domain.substr(domain.find('@') + 1);
  std::string out;
  out += fmt::format("Date: {:%a, %d %b %Y %H:%M:%S} +0000\r\n", fmt::gmtime(std::chrono::system_clock::to_time_t(now)));
  out += "From: " + settings.from + "\r\n";
  out += "To: " + message.to + "\r\n";
  out += "Subject: " + encode_header(message.subject) + "\r\n";
  out += "Message-ID: <" + random_token(18) + "@" + domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: 8bit\r\n";
  out += "\r\n";
  out += crlf_lines(message.body);
  return out;
}

std::optional<std::string> send_mail(const MailSettings& settings, const MailMessage& message) {
  // Header injection: neither the address nor the subject may break a line.
  if (settings.host.empty()) return "email.host is not set, so no mail can be sent";
  if (auto problem = email_address_problem(message.to)) return "recipient '" + message.to + "': " + *problem;
  if (has_line_break(message.subject) || has_line_break(settings.from)) return "a header contains a line break";

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return "curl_easy_init failed";
  auto* handle = curl.get();

  auto url = fmt::format("{}://{}:{}", settings.use_ssl ? "smtps" : "smtp", settings.host, settings.port);
  auto from = "<" + address_part(settings.from) + ">";
  auto data = format_mail(settings, message);
  Upload upload{data};
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + message.to + ">").c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients_guard(recipients, curl_slist_free_all);
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(settings.timeout_seconds));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(settings.timeout_seconds));
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  // STARTTLS is required when asked for, so a relay that does not offer it
  // fails the send instead of getting the mail in clear text.
  if (settings.use_tls && !settings.use_ssl) curl_easy_setopt(handle, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!settings.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, settings.ca_file.c_str());
  if (!settings.user.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, settings.user.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, settings.password.c_str());
  }

  auto code = curl_easy_perform(handle);
  if (code == CURLE_OK) return std::nullopt;
  long reply = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
  std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(code);
  if (code == CURLE_PEER_FAILED_VERIFICATION) {
    // The same code covers an untrusted CA and a host name the certificate
    // does not name, and curl's text in `detail` shows which one it was.
    detail += "; the server's certificate was rejected, so check that email.host is a name it covers";
    detail += settings.ca_file.empty()
                  ? ", and set email.ca_file to the PEM file of its CA (or of the certificate itself when it is "
                    "self-signed) when that CA is not one this system trusts"
                  : ", and that it was signed by a CA in email.ca_file (" + settings.ca_file + ")";
  }
  return fmt::format("sending to {} through {} failed: {} (last SMTP reply {})", message.to, url, detail, reply);
}

}  // namespace aa::core
