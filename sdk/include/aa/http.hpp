// The request a view receives and the response it returns.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aa/export.hpp"
#include "aa/models.hpp"

namespace soci {
class session;
}

namespace aa {

class Context;
class TemplateData;

enum class Method { get, head, post, put, patch, del, options, other };

/// Levels of the one-time messages shown at the top of the next page.
enum class MessageLevel { info, success, warning, error };

/// Named parameters for reverse URL lookup, e.g. {{"id", "5"}}.
using UrlParams = std::vector<std::pair<std::string, std::string>>;

/// A response. Views build one with the helpers below or with Request::render.
struct AA_SDK_API Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  /// True when the host should replace the body with its own error page for
  /// `status` (403, 404, ...), so error pages look the same everywhere.
  bool use_error_page = false;

  static Response html(std::string body, int status = 200);
  static Response text(std::string body, int status = 200);
  static Response json(std::string json_body, int status = 200);
  /// 302 to a local path or absolute URL.
  static Response redirect(std::string location);
  /// An empty response that the host renders as its standard error page.
  static Response error(int status);

  Response& header(std::string name, std::string value);
};

/// The current request, as a view sees it. Implemented by the host; valid only
/// for the duration of the view call, on the worker thread that runs the view.
class AA_SDK_API Request {
 public:
  virtual ~Request() = default;

  virtual Method method() const = 0;
  /// The decoded path, without the query string.
  virtual std::string_view path() const = 0;
  /// The path and query exactly as the client sent them.
  virtual std::string_view target() const = 0;
  virtual std::optional<std::string> query(std::string_view name) const = 0;
  /// A field of an application/x-www-form-urlencoded body; the first one if repeated.
  virtual std::optional<std::string> form(std::string_view name) const = 0;
  virtual std::vector<std::string> form_all(std::string_view name) const = 0;
  /// A route parameter such as `id` in "edit/<int:id>/". Empty when absent.
  virtual std::string_view path_param(std::string_view name) const = 0;
  virtual std::string_view header(std::string_view name) const = 0;
  virtual std::string_view body() const = 0;
  /// True when the client used HTTPS, directly or through a trusted proxy.
  virtual bool is_secure() const = 0;

  /// The logged-in user, or nullptr for an anonymous request.
  virtual const User* user() const = 0;
  /// Checks `app_label.codename` against the user's permissions from their
  /// own grants, groups and state. Superusers have every permission and
  /// inactive users none. Computed once per request.
  virtual bool has_perm(std::string_view permission) = 0;
  /// The groups the current user is a member of, by name.
  virtual const std::vector<GroupRef>& groups() = 0;

  /// The token a form must send back in the `csrfmiddlewaretoken` field.
  virtual const std::string& csrf_token() = 0;
  /// The active language code, e.g. "en" or "de".
  virtual std::string_view language() const = 0;
  /// Translates a message id into the request's language.
  virtual std::string translate(std::string_view msgid) const = 0;
  /// Queues a one-time message for the next rendered page.
  virtual void add_message(MessageLevel level, std::string text) = 0;

  /// Builds the path of a named route ("timerboard:edit"). Throws
  /// std::out_of_range for an unknown name or a missing parameter.
  virtual std::string url_for(std::string_view name, const UrlParams& params = {}) const = 0;

  /// A database session leased from the pool for this request.
  virtual soci::session& db() = 0;
  /// The host services: settings, loggers, framework API, notifications, ESI.
  virtual Context& app() = 0;

  /// Renders `template_name` inside the shared layout (sidebar, top bar,
  /// messages) with `data`, escaping every value for HTML. The value TITLE
  /// is the page title; rows of the sections EXTRA_CSS and EXTRA_JS, each
  /// with a value URL, add stylesheets and scripts. A relative URL there
  /// ("myplugin/js/page.js") is a path under the static URL. Every page's
  /// data also gets CSRF_TOKEN and STATIC_URL.
  virtual Response render(std::string_view template_name, const TemplateData& data, int status = 200) = 0;
  /// Renders `template_name` alone, for a dashboard panel or a service row,
  /// with CSRF_TOKEN and STATIC_URL set as for a page.
  virtual std::string render_fragment(std::string_view template_name, const TemplateData& data) = 0;
};

/// A view. It may throw; the host logs the exception with the request path
/// and answers with its 500 page, which shows no internals.
using View = std::function<Response(Request&)>;

}  // namespace aa
