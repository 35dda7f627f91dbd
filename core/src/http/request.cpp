#include "http/request.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>

#include <algorithm>
#include <sstream>

#include "app/app.hpp"
#include "auth/crypto.hpp"
#include "db/database.hpp"
#include "web/layout.hpp"

namespace aa::core {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

// Parses a query string or form body; '+' means space. Pairs that are not
// valid percent-encoding are dropped rather than failing the whole request.
Params parse_params(std::string_view text) {
  Params params;
  if (text.empty()) return params;
  auto parsed = boost::urls::parse_query(text);
  if (!parsed) return params;
  boost::urls::encoding_opts options;
  options.space_as_plus = true;
  for (auto param : *parsed) {
    params.emplace_back(param.key.decode(options), param.has_value ? param.value.decode(options) : std::string());
  }
  return params;
}

std::optional<std::string> first_of(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view message_level_name(MessageLevel level) {
  switch (level) {
    case MessageLevel::info: return "info";
    case MessageLevel::success: return "success";
    case MessageLevel::warning: return "warning";
    case MessageLevel::error: return "danger";
  }
  return "info";
}

}  // namespace

CoreRequest::CoreRequest(App& app, RawRequest& raw) : app_(app), raw_(raw) {
  parse_target();
  client_address_ = raw_.remote_address;
  resolve_proxy_headers();
  language_ = app_.translator().default_language();
}

CoreRequest::~CoreRequest() = default;

void CoreRequest::parse_target() {
  std::string_view target = raw_.target;
  auto question = target.find('?');
  encoded_path_ = std::string(target.substr(0, question));
  if (question != std::string_view::npos) query_string_ = std::string(target.substr(question + 1));
  auto decoded = boost::urls::make_pct_string_view(encoded_path_);
  path_ = decoded ? decoded->decode() : encoded_path_;
}

void CoreRequest::resolve_proxy_headers() {
  const auto& trusted = app_.options().trusted_proxies;
  bool from_proxy = std::find(trusted.begin(), trusted.end(), raw_.remote_address) != trusted.end();
  if (!from_proxy) {
    secure_ = false;
    return;
  }
  secure_ = trim(raw_.header("X-Forwarded-Proto")) == "https";
  // The client is the right-most X-Forwarded-For entry that is not one of
  // our proxies; entries further left were written by the client itself.
  std::string forwarded(raw_.header("X-Forwarded-For"));
  std::vector<std::string> hops;
  std::stringstream stream(forwarded);
  std::string hop;
  while (std::getline(stream, hop, ',')) hops.emplace_back(trim(hop));
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (std::find(trusted.begin(), trusted.end(), *it) == trusted.end() && !it->empty()) {
      client_address_ = *it;
      break;
    }
  }
}

std::optional<std::string> CoreRequest::query(std::string_view name) const {
  if (!query_params_) query_params_ = parse_params(query_string_);
  return first_of(*query_params_, name);
}

void CoreRequest::parse_form() const {
  if (form_params_) return;
  auto content_type = raw_.header("Content-Type");
  if (content_type.starts_with("application/x-www-form-urlencoded")) {
    form_params_ = parse_params(raw_.body);
  } else {
    form_params_ = Params{};
  }
}

std::optional<std::string> CoreRequest::form(std::string_view name) const {
  parse_form();
  return first_of(*form_params_, name);
}

std::vector<std::string> CoreRequest::form_all(std::string_view name) const {
  parse_form();
  std::vector<std::string> values;
  for (const auto& [key, value] : *form_params_) {
    if (key == name) values.push_back(value);
  }
  return values;
}

std::string_view CoreRequest::path_param(std::string_view name) const {
  for (const auto& [key, value] : route_.params) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string> CoreRequest::cookie(std::string_view name) const {
  std::string_view header = raw_.header("Cookie");
  while (!header.empty()) {
    auto semicolon = header.find(';');
    auto pair = trim(header.substr(0, semicolon));
    auto equals = pair.find('=');
    if (equals != std::string_view::npos && trim(pair.substr(0, equals)) == name) {
      return std::string(trim(pair.substr(equals + 1)));
    }
    if (semicolon == std::string_view::npos) break;
    header.remove_prefix(semicolon + 1);
  }
  return std::nullopt;
}

void CoreRequest::load_session() {
  long long version = 0;
  if (auto value = cookie(app_.options().session_cookie)) session_ = app_.sessions().load(db(), *value, &version);
  if (session_ && session_->user_id) {
    snapshot_ = app_.user_cache().get(db(), *session_->user_id, version);
    // An inactive user keeps no session: log them out.
    if (snapshot_ && !snapshot_->user.is_active) snapshot_.reset();
  }

  // Language: the user's choice, then the session's, then the browser's.
  std::string chosen;
  if (snapshot_ && !snapshot_->user.language.empty()) chosen = snapshot_->user.language;
  if (chosen.empty() && session_) {
    if (auto it = session_->data.find("language"); it != session_->data.end() && it->value().is_string()) {
      chosen = std::string(it->value().as_string());
    }
  }
  if (chosen.empty() || !app_.translator().offers(chosen)) {
    chosen = app_.translator().negotiate(raw_.header("Accept-Language"));
  }
  language_ = chosen;
}

const User* CoreRequest::user() const { return snapshot_ ? &snapshot_->user : nullptr; }

bool CoreRequest::has_perm(std::string_view permission) {
  return snapshot_ && snapshot_->permissions.has(permission);
}

const std::vector<GroupRef>& CoreRequest::groups() {
  static const std::vector<GroupRef> kNone;
  return snapshot_ ? snapshot_->groups : kNone;
}

Session& CoreRequest::session() {
  if (!session_) session_ = app_.sessions().create();
  return *session_;
}

namespace {

constexpr const char* kCsrfCookie = "csrftoken";

}  // namespace

const std::string& CoreRequest::csrf_token() {
  // A stored session carries its own token. Everybody else gets a token in
  // a cookie of its own, so showing a form writes nothing to the database.
  if (session_ && (session_->stored || session_->keep || session_->user_id)) return session_->csrf_token;
  if (cookie_csrf_token_.empty()) {
    auto existing = cookie(kCsrfCookie);
    if (existing && existing->size() == 43) {
      cookie_csrf_token_ = *existing;
    } else {
      cookie_csrf_token_ = random_token(32);
      set_csrf_cookie_ = true;
    }
  }
  return cookie_csrf_token_;
}

std::optional<std::string> CoreRequest::expected_csrf_token() const {
  if (session_ && session_->stored) return session_->csrf_token;
  auto existing = cookie(kCsrfCookie);
  if (existing && existing->size() == 43) return existing;
  return std::nullopt;
}

std::string CoreRequest::translate(std::string_view msgid) const {
  return app_.translator().translate(language_, msgid);
}

void CoreRequest::add_message(MessageLevel level, std::string text) {
  auto& data = session().data;
  auto& list = data["messages"];
  if (!list.is_array()) list = boost::json::array();
  list.as_array().push_back(boost::json::array{boost::json::string(message_level_name(level)), boost::json::string(text)});
  session().dirty = true;
}

std::vector<std::pair<std::string, std::string>> CoreRequest::take_messages() {
  std::vector<std::pair<std::string, std::string>> messages;
  if (!session_) return messages;
  auto it = session_->data.find("messages");
  if (it == session_->data.end()) return messages;
  if (it->value().is_array()) {
    for (const auto& entry : it->value().as_array()) {
      if (!entry.is_array() || entry.as_array().size() != 2) continue;
      const auto& pair = entry.as_array();
      if (pair[0].is_string() && pair[1].is_string()) {
        messages.emplace_back(std::string(pair[0].as_string()), std::string(pair[1].as_string()));
      }
    }
  }
  session_->data.erase(it);
  session_->dirty = true;
  return messages;
}

std::string CoreRequest::url_for(std::string_view name, const UrlParams& params) const {
  return app_.router().reverse(name, params);
}

soci::session& CoreRequest::db() {
  if (!db_) db_ = std::make_unique<soci::session>(app_.db().pool());
  return *db_;
}

Context& CoreRequest::app() { return app_; }

Response CoreRequest::render(std::string_view template_name, const TemplateData& data, int status) {
  return render_page(*this, template_name, data, status);
}

std::string CoreRequest::render_fragment(std::string_view template_name, const TemplateData& data) {
  // The same globals as a page, so a fragment's forms can carry the token.
  return app_.templates().render(language_, template_name, data,
                                 {{"CSRF_TOKEN", csrf_token()}, {"STATIC_URL", app_.options().static_url}});
}

void CoreRequest::login(long long user_id) {
  auto& current = session();
  app_.sessions().rotate(db(), current);
  current.user_id = user_id;
  current.data.erase("language");
  snapshot_ = app_.user_cache().get(db(), user_id);
  if (snapshot_ && !snapshot_->user.language.empty() && app_.translator().offers(snapshot_->user.language)) {
    language_ = snapshot_->user.language;
  }
}

void CoreRequest::reload_snapshot() {
  if (snapshot_) snapshot_ = app_.user_cache().get(db(), snapshot_->user.id);
}

void CoreRequest::logout() {
  if (session_) app_.sessions().destroy(db(), *session_);
  snapshot_.reset();
}

std::vector<std::string> CoreRequest::finish_session() {
  std::vector<std::string> cookies;
  std::string attributes = "; Path=/; HttpOnly; SameSite=Lax";
  if (secure_) attributes += "; Secure";
  if (set_csrf_cookie_) {
    cookies.push_back(std::string(kCsrfCookie) + "=" + cookie_csrf_token_ + "; Max-Age=31449600" + attributes);
  }
  if (!session_) return cookies;

  const auto& name = app_.options().session_cookie;
  if (session_->destroyed) {
    cookies.push_back(name + "=; Max-Age=0" + attributes);
    return cookies;
  }
  bool stored = app_.sessions().save(db(), *session_);
  if (!stored || session_->new_cookie_value.empty()) return cookies;
  cookies.push_back(name + "=" + session_->new_cookie_value +
                    "; Max-Age=" + std::to_string(session_->expires_at - unix_now()) + attributes);
  return cookies;
}

}  // namespace aa::core
