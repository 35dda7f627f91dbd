#include "http/router.hpp"

#include <boost/url/pct_string_view.hpp>

#include <charconv>
#include <set>
#include <stdexcept>

#include "aa/http_client.hpp"

namespace aa::core {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool is_integer(std::string_view text) {
  if (text.empty() || text.size() > 18) return false;
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && value >= 0;
}

}  // namespace

std::vector<PathSegment> parse_pattern(std::string_view pattern) {
  std::vector<PathSegment> segments;
  for (auto part : split_path(pattern)) {
    if (part.front() != '<') {
      segments.push_back({PathSegment::Kind::literal, std::string(part)});
      continue;
    }
    auto colon = part.find(':');
    if (part.back() != '>' || colon == std::string_view::npos || colon + 2 >= part.size()) {
      throw std::invalid_argument("malformed parameter '" + std::string(part) + "' in route pattern '" +
                                  std::string(pattern) + "'; write <int:name> or <str:name>");
    }
    auto type = part.substr(1, colon - 1);
    auto name = std::string(part.substr(colon + 1, part.size() - colon - 2));
    if (type == "int") {
      segments.push_back({PathSegment::Kind::int_param, name});
    } else if (type == "str") {
      segments.push_back({PathSegment::Kind::str_param, name});
    } else {
      throw std::invalid_argument("unknown parameter type '" + std::string(type) + "' in route pattern '" +
                                  std::string(pattern) + "'; use int or str");
    }
  }
  return segments;
}

std::vector<CompiledRoute> Router::compile(const std::string& plugin, const aa::UrlHook& hook) const {
  if (hook.base_path.empty() || hook.base_path.front() != '/' || hook.base_path.back() != '/') {
    throw std::invalid_argument("base path '" + hook.base_path + "' of namespace '" + hook.url_namespace +
                                "' must start and end with '/'");
  }
  if (hook.url_namespace.empty()) throw std::invalid_argument("a UrlHook needs a namespace");

  std::vector<CompiledRoute> compiled;
  std::set<std::string> names;
  for (const auto& route : hook.routes) {
    if (route.name.empty()) throw std::invalid_argument("a route under " + hook.base_path + " has no name");
    if (!route.view) throw std::invalid_argument("route " + route.name + " has no view");
    CompiledRoute entry;
    entry.full_name = hook.url_namespace + ":" + route.name;
    entry.plugin = plugin;
    entry.pattern = hook.base_path + route.pattern;
    entry.segments = parse_pattern(entry.pattern);
    entry.trailing_slash = entry.pattern.back() == '/';
    entry.route = route;
    if (!names.insert(entry.full_name).second || by_name_.contains(entry.full_name)) {
      throw std::invalid_argument("duplicate URL name '" + entry.full_name + "'");
    }
    compiled.push_back(std::move(entry));
  }
  return compiled;
}

void Router::check(const aa::UrlHook& hook) const { compile("", hook); }

void Router::add(const std::string& plugin, const aa::UrlHook& hook) {
  auto compiled = compile(plugin, hook);
  for (auto& entry : compiled) {
    by_name_[entry.full_name] = routes_.size();
    routes_.push_back(std::move(entry));
  }
}

std::optional<RouteMatch> Router::match(std::string_view path) const {
  // An empty segment ("//dashboard/") matches nothing: redirecting it to
  // "//dashboard/" would send the browser to the host "dashboard".
  if (path.empty() || path.front() != '/' || path.find("//") != std::string_view::npos) return std::nullopt;
  auto parts = split_path(path);
  bool trailing_slash = !path.empty() && path.back() == '/' && path.size() > 1;
  for (const auto& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    if (route.trailing_slash != trailing_slash && !route.segments.empty()) continue;
    RouteMatch match;
    match.route = &route;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const auto& segment = route.segments[i];
      switch (segment.kind) {
        case PathSegment::Kind::literal: ok = segment.text == parts[i]; break;
        case PathSegment::Kind::int_param:
          ok = is_integer(parts[i]);
          if (ok) match.params.emplace_back(segment.text, std::string(parts[i]));
          break;
        case PathSegment::Kind::str_param: {
          auto decoded = boost::urls::make_pct_string_view(parts[i]);
          ok = decoded.has_value();
          if (ok) match.params.emplace_back(segment.text, decoded->decode());
          break;
        }
      }
    }
    if (ok) return match;
  }
  return std::nullopt;
}

bool Router::has(std::string_view full_name) const { return by_name_.find(full_name) != by_name_.end(); }

std::string Router::reverse(std::string_view full_name, const UrlParams& params) const {
  auto it = by_name_.find(full_name);
  if (it == by_name_.end()) throw std::out_of_range("no route named '" + std::string(full_name) + "'");
  const auto& route = routes_[it->second];
  std::string path;
  for (const auto& segment : route.segments) {
    path.push_back('/');
    if (segment.kind == PathSegment::Kind::literal) {
      path += segment.text;
      continue;
    }
    const std::string* value = nullptr;
    for (const auto& [name, param] : params) {
      if (name == segment.text) value = &param;
    }
    if (!value) {
      throw std::out_of_range("route '" + std::string(full_name) + "' needs parameter '" + segment.text + "'");
    }
    path += url_encode(*value);
  }
  if (route.trailing_slash || path.empty()) path.push_back('/');
  return path;
}

}  // namespace aa::core
