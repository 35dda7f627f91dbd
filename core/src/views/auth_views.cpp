// Log in and out: the EVE SSO login page, the password login for admins,
// logout and the language picker.
#include <soci/soci.h>

#include "aa/http_client.hpp"
#include "aa/template.hpp"
#include "app/app.hpp"
#include "auth/accounts.hpp"
#include "auth/passwords.hpp"
#include "http/request.hpp"
#include "views/sso_flow.hpp"
#include "views/views.hpp"
#include "web/layout.hpp"

namespace aa::core::views {
namespace {

CoreRequest& core(Request& request) { return static_cast<CoreRequest&>(request); }

// Limits on form input; longer values are rejected before any work.
constexpr std::size_t kMaxUsername = 150;
constexpr std::size_t kMaxPassword = 4096;

}  // namespace

Response index(Request& request) {
  if (request.user()) return Response::redirect(request.url_for("authentication:dashboard"));
  return Response::redirect(request.url_for("authentication:login"));
}

Response login_page(Request& request) {
  if (request.user()) return Response::redirect(request.url_for("authentication:dashboard"));
  TemplateData data;
  data.set("TITLE", request.translate("Login"));
  auto next = safe_next(request.query("next").value_or(""), "");
  std::string sso_url = request.url_for("authentication:sso_login");
  if (!next.empty()) sso_url += "?next=" + url_encode(next);
  data.set("SSO_LOGIN_URL", sso_url);
  data.set("PASSWORD_LOGIN_URL", request.url_for("admin:login"));
  return request.render("allianceauth/login.html", data);
}

Response sso_login(Request& request) {
  auto& host = core(request);
  auto next = safe_next(request.query("next").value_or(""), "");
  return start_sso(host, SsoPurpose::login, host.host().options().login_scopes, next);
}

Response sso_callback(Request& request) { return finish_sso(core(request)); }

namespace {

Response password_form(Request& request, TemplateData& data, const std::string& error, int status) {
  if (!error.empty()) data.add_row("ERROR").set("TEXT", error);
  return request.render("allianceauth/password_login.html", data, status);
}

// Checks the password of `username`; the id of the active user it belongs
// to, or nothing. Takes as long for unknown users and for accounts without
// a password as for a wrong password, so the time does not tell them apart.
std::optional<long long> verify_password(CoreRequest& host, const std::string& username, const std::string& password) {
  static const std::string kDummyHash = hash_password("no such user");
  auto& sql = host.db();
  auto user_id = find_user_id(sql, username);
  std::optional<std::string> stored = user_id ? password_hash_of(sql, *user_id) : std::nullopt;
  bool usable = stored && is_usable_hash(*stored);

  PasswordCheck check;
  {
    LoginThrottle::CheckSlot slot(host.host().login_throttle());
    check = check_password(password, usable ? *stored : kDummyHash);
  }
  if (!usable || !check.valid) return std::nullopt;
  auto user = load_user(sql, *user_id);
  if (!user || !user->is_active) return std::nullopt;
  if (check.needs_rehash) set_password_hash(sql, *user_id, hash_password(password));
  return user_id;
}

}  // namespace

Response password_login(Request& request) {
  auto& host = core(request);
  auto next = safe_next(request.query("next").value_or(request.form("next").value_or("")),
                        request.url_for("authentication:dashboard"));
  TemplateData data;
  data.set("TITLE", request.translate("Log in with a password"));
  data.set("NEXT", next);
  data.set("ACTION_URL", request.url_for("admin:login"));
  if (request.method() != Method::post) return password_form(request, data, {}, 200);

  auto username = request.form("username").value_or("");
  auto password = request.form("password").value_or("");
  data.set("USERNAME", username);
  if (username.empty() || password.empty() || username.size() > kMaxUsername || password.size() > kMaxPassword) {
    return password_form(request, data, request.translate("Enter a username and a password."), 400);
  }

  auto& throttle = host.host().login_throttle();
  if (auto wait = throttle.blocked_for(username, host.client_address())) {
    auto minutes = std::to_string((wait->count() + 59) / 60);
    auto text = request.translate("Too many failed login attempts. Try again in {minutes} minute(s).");
    text.replace(text.find("{minutes}"), 9, minutes);
    return password_form(request, data, text, 429);
  }

  auto user_id = verify_password(host, username, password);
  if (!user_id) {
    throttle.record_failure(username, host.client_address());
    core_log().warn("password login for '{}' from {} failed", username, host.client_address());
    return password_form(request, data,
                         request.translate("Please enter a correct username and password. "
                                           "Note that both fields may be case-sensitive."),
                         400);
  }
  throttle.record_success(username);
  record_login(request.db(), *user_id);
  host.login(*user_id);
  core_log().info("user {} ({}) logged in with a password", username, *user_id);
  return Response::redirect(next);
}

Response logout(Request& request) {
  auto& host = core(request);
  if (const User* user = request.user()) core_log().info("user {} ({}) logged out", user->username, user->id);
  host.logout();
  return Response::redirect(request.url_for("authentication:login"));
}

Response set_language(Request& request) {
  auto& host = core(request);
  auto code = request.form("language").value_or("");
  auto next = safe_next(request.form("next").value_or(""), request.url_for("authentication:index"));
  if (!host.host().translator().offers(code)) {
    return render_error(host, 400, request.translate("That language is not offered on this site."));
  }
  if (const User* user = request.user()) {
    aa::core::set_language(request.db(), user->id, code);
  } else {
    host.session().data["language"] = code;
    host.session().dirty = true;
  }
  return Response::redirect(next);
}

}  // namespace aa::core::views
