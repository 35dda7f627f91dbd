// The host's implementation of aa::Request: lazily parsed query and form,
// the session, the user snapshot, a database session leased on first use,
// and what the pipeline writes back (cookies, messages).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/http.hpp"
#include "auth/user_cache.hpp"
#include "http/raw.hpp"
#include "http/router.hpp"
#include "http/sessions.hpp"

namespace aa::core {

class App;

class CoreRequest final : public aa::Request {
 public:
  CoreRequest(App& app, RawRequest& raw);
  ~CoreRequest() override;

  // aa::Request
  Method method() const override { return raw_.method; }
  std::string_view path() const override { return path_; }
  std::string_view target() const override { return raw_.target; }
  std::optional<std::string> query(std::string_view name) const override;
  std::optional<std::string> form(std::string_view name) const override;
  std::vector<std::string> form_all(std::string_view name) const override;
  std::string_view path_param(std::string_view name) const override;
  std::string_view header(std::string_view name) const override { return raw_.header(name); }
  std::string_view body() const override { return raw_.body; }
  bool is_secure() const override { return secure_; }
  const User* user() const override;
  bool has_perm(std::string_view permission) override;
  const std::vector<GroupRef>& groups() override;
  const std::string& csrf_token() override;
  std::string_view language() const override { return language_; }
  std::string translate(std::string_view msgid) const override;
  void add_message(MessageLevel level, std::string text) override;
  std::string url_for(std::string_view name, const UrlParams& params = {}) const override;
  soci::session& db() override;
  Context& app() override;
  Response render(std::string_view template_name, const TemplateData& data, int status = 200) override;
  std::string render_fragment(std::string_view template_name, const TemplateData& data) override;

  // Used by the pipeline and core views.
  App& host() { return app_; }
  const RawRequest& raw() const { return raw_; }
  /// Resolves the session cookie and the user. Call once, before routing.
  void load_session();
  void set_route(const RouteMatch& match) { route_ = match; }
  const CompiledRoute* route() const { return route_.route; }
  const std::string& encoded_path() const { return encoded_path_; }
  const std::string& query_string() const { return query_string_; }
  std::optional<std::string> cookie(std::string_view name) const;
  const std::string& client_address() const { return client_address_; }

  /// The session, created on first use for anonymous visitors.
  Session& session();
  bool has_session() const { return session_.has_value(); }
  /// Logs `user_id` in: rotates the session key and CSRF token.
  void login(long long user_id);
  /// Ends the session and clears the cookie.
  void logout();
  /// Sets the active language (after a language change).
  void set_language(std::string language) { language_ = std::move(language); }
  /// Takes the queued one-time messages.
  std::vector<std::pair<std::string, std::string>> take_messages();
  const UserSnapshot* snapshot() const { return snapshot_.get(); }
  /// Reloads the user's snapshot after this request changed their data
  /// (e.g. read a notification), so the page it renders shows the change.
  void reload_snapshot();

  /// Stores the session if it changed and returns the Set-Cookie header
  /// values to send.
  std::vector<std::string> finish_session();
  /// The CSRF token an unsafe request must carry: the session's, or, for a
  /// visitor without a stored session, the one in the csrftoken cookie.
  std::optional<std::string> expected_csrf_token() const;

 private:
  void parse_target();
  void parse_form() const;
  void resolve_proxy_headers();

  App& app_;
  RawRequest& raw_;
  std::string encoded_path_;
  std::string path_;
  std::string query_string_;
  mutable std::optional<std::vector<std::pair<std::string, std::string>>> query_params_;
  mutable std::optional<std::vector<std::pair<std::string, std::string>>> form_params_;
  RouteMatch route_;
  bool secure_ = false;
  std::string client_address_;
  std::string language_;
  std::optional<Session> session_;
  // For visitors without a stored session: the CSRF token of the csrftoken
  // cookie, and whether this response must set that cookie.
  std::string cookie_csrf_token_;
  bool set_csrf_cookie_ = false;
  std::shared_ptr<const UserSnapshot> snapshot_;
  std::unique_ptr<soci::session> db_;
};

}  // namespace aa::core
