#include "http/raw.hpp"

#include <strings.h>

namespace aa::core {

std::string_view RawRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) return value;
  }
  return {};
}

Method parse_method(std::string_view text) {
  if (text == "GET") return Method::get;
  if (text == "HEAD") return Method::head;
  if (text == "POST") return Method::post;
  if (text == "PUT") return Method::put;
  if (text == "PATCH") return Method::patch;
  if (text == "DELETE") return Method::del;
  if (text == "OPTIONS") return Method::options;
  return Method::other;
}

bool is_safe_method(Method method) {
  return method == Method::get || method == Method::head || method == Method::options;
}

}  // namespace aa::core
