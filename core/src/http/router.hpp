// Named routes with typed path parameters and reverse lookup.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aa/hooks.hpp"

namespace aa::core {

/// One segment of a route pattern: literal text or a typed parameter.
struct PathSegment {
  enum class Kind { literal, int_param, str_param };
  Kind kind = Kind::literal;
  std::string text;  ///< The literal, or the parameter name.
};

struct CompiledRoute {
  std::string full_name;  ///< "namespace:name"
  std::string plugin;     ///< The plugin that registered it ("core" for core).
  std::string pattern;    ///< Full path pattern, e.g. "/timers/edit/<int:id>/".
  std::vector<PathSegment> segments;
  bool trailing_slash = false;
  aa::Route route;
};

struct RouteMatch {
  const CompiledRoute* route = nullptr;
  std::vector<std::pair<std::string, std::string>> params;
};

/// Parses "/timers/edit/<int:id>/" into segments. Throws std::invalid_argument
/// naming the pattern for an unknown parameter type or an empty name.
std::vector<PathSegment> parse_pattern(std::string_view pattern);

class Router {
 public:
  /// Adds every route of `hook` for `plugin`. Throws std::invalid_argument
  /// when a route name is taken or a pattern is malformed; nothing is added then.
  void add(const std::string& plugin, const aa::UrlHook& hook);
  /// Checks `hook` as add() would, without adding it.
  void check(const aa::UrlHook& hook) const;

  /// The route whose pattern matches `path` (still percent-encoded, without
  /// the query), if any. Parameters come back decoded.
  std::optional<RouteMatch> match(std::string_view path) const;
  /// Builds the path of a named route. Throws std::out_of_range naming the
  /// route or the missing parameter.
  std::string reverse(std::string_view full_name, const UrlParams& params = {}) const;
  bool has(std::string_view full_name) const;

  const std::vector<CompiledRoute>& routes() const { return routes_; }

 private:
  std::vector<CompiledRoute> compile(const std::string& plugin, const aa::UrlHook& hook) const;

  std::vector<CompiledRoute> routes_;
  std::map<std::string, std::size_t, std::less<>> by_name_;
};

}  // namespace aa::core
