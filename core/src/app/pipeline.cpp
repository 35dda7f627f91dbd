// The request pipeline: session and user, routing, CSRF, access guards,
// the view, error pages and the headers every response carries.
#include <boost/url/pct_string_view.hpp>

#include <algorithm>

#include "aa/http_client.hpp"
#include "app/app.hpp"
#include "auth/crypto.hpp"
#include "db/database.hpp"
#include "http/request.hpp"
#include "web/layout.hpp"

namespace aa::core {
namespace {

constexpr std::string_view kCsrfField = "csrfmiddlewaretoken";

std::string_view method_name(Method method) {
  switch (method) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::del: return "DELETE";
    case Method::options: return "OPTIONS";
    case Method::other: return "OTHER";
  }
  return "OTHER";
}

bool same_origin(std::string_view url, const std::vector<std::string>& origins) {
  return std::any_of(origins.begin(), origins.end(), [&](const std::string& origin) {
    return !origin.empty() && url.starts_with(origin) &&
           (url.size() == origin.size() || url[origin.size()] == '/');
  });
}

// Returns why an unsafe request fails the CSRF check, or nothing when it passes.
std::optional<std::string> csrf_problem(CoreRequest& request) {
  auto& app = request.host();
  std::vector<std::string> origins{app.options().site_origin};
  auto host = request.header("Host");
  if (!host.empty()) origins.push_back(std::string(request.is_secure() ? "https://" : "http://") + std::string(host));

  // An opaque origin ("null", from sandboxed frames and data: pages) is no
  // origin of this site, so it fails as Django's check fails it.
  auto origin = request.header("Origin");
  if (!origin.empty() && !same_origin(origin, origins)) {
    return "origin " + std::string(origin) + " does not match this site";
  }
  if (origin.empty() && request.is_secure()) {
    auto referer = request.header("Referer");
    if (referer.empty()) return std::string("the Referer header is missing on a secure request");
    if (!same_origin(referer, origins)) return "referer " + std::string(referer) + " does not match this site";
  }

  auto expected = request.expected_csrf_token();
  if (!expected) return std::string("neither a session nor a CSRF cookie came with the request");
  std::string sent(request.header("X-CSRFToken"));
  if (sent.empty()) sent = request.form(kCsrfField).value_or("");
  if (sent.empty()) return std::string("the CSRF token is missing");
  if (!constant_time_equal(sent, *expected)) return std::string("the CSRF token is incorrect");
  return std::nullopt;
}

Response redirect_to_login(CoreRequest& request) {
  return Response::redirect(request.url_for("authentication:login") + "?next=" +
                            url_encode(std::string(request.target())));
}

// Applies the route's access rule; returns a response when access is denied.
std::optional<Response> check_access(CoreRequest& request, const CompiledRoute& route) {
  auto& app = request.host();
  Access access = route.route.access;
  if (access == Access::public_view && route.plugin != "core") {
    const auto& allowed = app.options().public_view_plugins;
    if (std::find(allowed.begin(), allowed.end(), route.plugin) == allowed.end()) access = Access::main_character;
  }
  if (access == Access::public_view) return std::nullopt;

  const User* user = request.user();
  if (!user) return redirect_to_login(request);
  switch (access) {
    case Access::public_view:
    case Access::login: return std::nullopt;
    case Access::main_character:
      if (user->main_character) return std::nullopt;
      request.add_message(MessageLevel::error,
                          request.translate("A main character is required to perform that action. Add one below."));
      return Response::redirect(request.url_for("authentication:change_main_character"));
    case Access::staff:
      if (user->is_staff || user->is_superuser) return std::nullopt;
      return Response::error(403);
    case Access::superuser:
      if (user->is_superuser) return std::nullopt;
      return Response::error(403);
  }
  return std::nullopt;
}

Response dispatch(CoreRequest& request) {
  auto& app = request.host();
  request.load_session();

  auto match = app.router().match(request.encoded_path());
  if (!match) {
    // As Django's APPEND_SLASH: a GET of a path that only exists with a
    // trailing slash is redirected there.
    bool safe = request.method() == Method::get || request.method() == Method::head;
    const auto& path = request.encoded_path();
    if (safe && !path.empty() && path.back() != '/' && app.router().match(path + "/")) {
      auto location = path + "/";
      if (!request.query_string().empty()) location += "?" + request.query_string();
      auto response = Response::redirect(location);
      response.status = 301;
      return response;
    }
    return Response::error(404);
  }
  request.set_route(*match);
  const auto& route = *match->route;

  const auto& methods = route.route.methods;
  bool allowed = std::find(methods.begin(), methods.end(), request.method()) != methods.end() ||
                 (request.method() == Method::head && std::find(methods.begin(), methods.end(), Method::get) != methods.end());
  if (!allowed) {
    std::string allow;
    for (auto method : methods) allow += (allow.empty() ? "" : ", ") + std::string(method_name(method));
    auto response = Response::error(405);
    response.header("Allow", allow);
    return response;
  }

  if (!is_safe_method(request.method())) {
    if (auto problem = csrf_problem(request)) {
      core_log().warn("CSRF check failed for {} {} from {}: {}", method_name(request.method()), request.path(),
                      request.client_address(), *problem);
      return render_error(request, 403, request.translate("CSRF verification failed. Reload the page and try again."));
    }
  }

  if (auto denied = check_access(request, route)) return std::move(*denied);
  for (const auto& permission : route.route.permissions) {
    if (!request.has_perm(permission)) return Response::error(403);
  }
  return route.route.view(request);
}

RawResponse to_raw(Response&& response, bool head) {
  RawResponse raw;
  raw.status = response.status;
  raw.headers = std::move(response.headers);
  raw.headers.emplace_back("Content-Type", response.content_type);
  raw.body = std::move(response.body);
  raw.omit_body = head;
  return raw;
}

void add_security_headers(RawResponse& raw) {
  auto has = [&](std::string_view name) {
    return std::any_of(raw.headers.begin(), raw.headers.end(), [&](const auto& header) { return header.first == name; });
  };
  raw.headers.emplace_back("X-Content-Type-Options", "nosniff");
  raw.headers.emplace_back("X-Frame-Options", "DENY");
  raw.headers.emplace_back("Referrer-Policy", "same-origin");
  if (!has("Content-Security-Policy")) {
    raw.headers.emplace_back("Content-Security-Policy",
                             "default-src 'self'; img-src 'self' data: https://images.evetech.net; "
                             "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self'; "
                             "frame-ancestors 'none'");
  }
  if (!has("Cache-Control")) raw.headers.emplace_back("Cache-Control", "no-store");
  raw.headers.emplace_back("Vary", "Cookie");
}

}  // namespace

RawResponse App::handle(RawRequest& raw) {
  // Every ten minutes one request also deletes expired sessions, so
  // abandoned anonymous sessions do not pile up between restarts.
  long long now = unix_now();
  long long due = next_session_purge_.load();
  if (now >= due && next_session_purge_.compare_exchange_strong(due, now + 600)) {
    try {
      soci::session sql(database_->pool());
      int purged = sessions_->purge_expired(sql);
      if (purged > 0) core_log().info("deleted {} expired session(s)", purged);
    } catch (const std::exception& error) {
      core_log().error("deleting expired sessions failed: {}; trying again in ten minutes", error.what());
    }
  }

  CoreRequest request(*this, raw);
  Response response;
  try {
    response = dispatch(request);
  } catch (const std::exception& error) {
    core_log().error("view for {} {} failed: {}", method_name(raw.method), request.path(), error.what());
    response = render_error(request, 500);
  }
  if (response.use_error_page) {
    auto headers = std::move(response.headers);
    response = render_error(request, response.status);
    for (auto& header : headers) response.headers.push_back(std::move(header));
  }

  try {
    for (auto& cookie : request.finish_session()) response.header("Set-Cookie", std::move(cookie));
  } catch (const std::exception& error) {
    core_log().error("saving the session for {} failed: {}", request.path(), error.what());
    response = fallback_error(500);
  }
  auto out = to_raw(std::move(response), raw.method == Method::head);
  add_security_headers(out);
  return out;
}

std::optional<RawResponse> App::fast_path(const RawRequest& raw) {
  const auto& prefix = options_.static_url;
  if (!raw.target.starts_with(prefix)) return std::nullopt;
  if (raw.method != Method::get && raw.method != Method::head) return std::nullopt;

  std::string_view target = raw.target;
  target = target.substr(prefix.size(), target.find('?') - prefix.size());
  auto decoded = boost::urls::make_pct_string_view(target);
  if (!decoded) return std::nullopt;
  auto file = static_files_->find(decoded->decode());
  if (!file) return std::nullopt;  // The pipeline renders its 404 page.

  RawResponse response;
  response.headers.emplace_back("ETag", file->etag);
  response.headers.emplace_back("Cache-Control", "public, max-age=86400");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (raw.header("If-None-Match") == file->etag) {
    response.status = 304;
    return response;
  }
  response.headers.emplace_back("Content-Type", file->content_type);
  response.body = std::move(file->body);
  response.omit_body = raw.method == Method::head;
  return response;
}

}  // namespace aa::core
