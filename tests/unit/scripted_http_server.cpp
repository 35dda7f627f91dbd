#include "scripted_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>

namespace aa::test {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t");
  auto last = text.find_last_not_of(" \t\r");
  return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

std::string reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 304: return "Not Modified";
    case 404: return "Not Found";
    case 420: return "Enhance Your Calm";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    default: return "Status";
  }
}

void send_all(int connection, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    auto count = ::send(connection, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (count <= 0) return;
    sent += static_cast<std::size_t>(count);
  }
}

}  // namespace

std::string RecordedRequest::header(const std::string& lower_case_name) const {
  auto found = headers.find(lower_case_name);
  return found == headers.end() ? std::string() : found->second;
}

ScriptedHttpServer::ScriptedHttpServer(std::vector<ScriptedResponse> responses) : responses_(std::move(responses)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error(std::string("socket failed: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 16) != 0 ||
      ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    auto error = std::string("listening on 127.0.0.1 failed: ") + std::strerror(errno);
    ::close(listen_fd_);
    throw std::runtime_error(error);
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

ScriptedHttpServer::~ScriptedHttpServer() {
  // shutdown() makes the blocked accept() return, which ends serve().
  ::shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  ::close(listen_fd_);
}

void ScriptedHttpServer::append(ScriptedResponse response) {
  std::lock_guard lock(mutex_);
  responses_.push_back(std::move(response));
}

std::vector<RecordedRequest> ScriptedHttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void ScriptedHttpServer::serve() {
  while (true) {
    int connection = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) {
      if (errno == EINTR) continue;
      return;
    }
    handle(connection);
    ::close(connection);
  }
}

void ScriptedHttpServer::handle(int connection) {
  // Read the header block, then the body bytes that Content-Length announces.
  std::string data;
  char buffer[4096];
  std::size_t header_end = std::string::npos;
  while (header_end == std::string::npos) {
    auto count = ::recv(connection, buffer, sizeof buffer, 0);
    if (count <= 0) return;
    data.append(buffer, static_cast<std::size_t>(count));
    header_end = data.find("\r\n\r\n");
  }

  RecordedRequest request;
  auto request_line_end = data.find("\r\n");
  auto request_line = data.substr(0, request_line_end);
  auto first_space = request_line.find(' ');
  auto second_space = request_line.find(' ', first_space + 1);
  request.method = request_line.substr(0, first_space);
  request.target = request_line.substr(first_space + 1, second_space - first_space - 1);
  std::size_t line_start = request_line_end + 2;
  while (line_start < header_end) {
    auto line_end = data.find("\r\n", line_start);
    auto line = data.substr(line_start, line_end - line_start);
    auto colon = line.find(':');
    if (colon != std::string::npos) request.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
    line_start = line_end + 2;
  }
  std::size_t body_length = 0;
  if (auto length = request.header("content-length"); !length.empty()) body_length = std::stoul(length);
  request.body = data.substr(header_end + 4);
  while (request.body.size() < body_length) {
    auto count = ::recv(connection, buffer, sizeof buffer, 0);
    if (count <= 0) break;
    request.body.append(buffer, static_cast<std::size_t>(count));
  }

  ScriptedResponse response{500, {}, "{\"error\": \"no scripted response left\"}"};
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (next_response_ < responses_.size()) response = responses_[next_response_++];
  }

  std::string text = "HTTP/1.1 " + std::to_string(response.status) + " " + reason_phrase(response.status) + "\r\n";
  for (const auto& [name, value] : response.headers) text += name + ": " + value + "\r\n";
  text += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  text += "Connection: close\r\n\r\n" + response.body;
  send_all(connection, text);
}

}  // namespace aa::test
