#include "aa/http.hpp"

namespace aa {

Response Response::html(std::string body, int status) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response Response::text(std::string body, int status) {
  Response response;
  response.status = status;
  response.content_type = "text/plain; charset=utf-8";
  response.body = std::move(body);
  return response;
}

Response Response::json(std::string json_body, int status) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(json_body);
  return response;
}

Response Response::redirect(std::string location) {
  Response response;
  response.status = 302;
  response.headers.emplace_back("Location", std::move(location));
  return response;
}

Response Response::error(int status) {
  Response response;
  response.status = status;
  response.use_error_page = true;
  return response;
}

Response& Response::header(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

}  // namespace aa
