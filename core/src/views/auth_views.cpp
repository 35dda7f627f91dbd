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

Response password_login(Request& request) {
  auto& host = core(request);
  auto next = safe_next(request.query("next").value_or(request.form("next").value_or("")),
                        request.url_for("authentication:dashboard"));
  TemplateData data;
  data.set("TITLE", request.translate("Log in with a password"));
  data.set("NEXT", next);
  data.set("ACTION_URL", request.url_for("admin:login"));

  if (request.method() == Method::post) {
    auto username = request.form("username").value_or("");
    auto password = request.form("password").value_or("");
    data.set("USERNAME", username);
    if (username.empty() || password.empty() || username.size() > kMaxUsername || password.size() > kMaxPassword) {
      data.add_row("ERROR").set("TEXT", request.translate("Enter a username and a password."));
      return request.render("allianceauth/password_login.html", data, 400);
    }
    auto& sql = request.db();
    auto user_id = find_user_id(sql, username);
    std::optional<std::string> stored = user_id ? password_hash_of(sql, *user_id) : std::nullopt;
    // Verify even for unknown users, against a hash made once, so the
    // response time does not tell whether a username exists.
    static const std::string kDummyHash = hash_password("no such user");
    auto check = check_password(password, stored.value_or(kDummyHash));
    auto user = user_id ? load_user(sql, *user_id) : std::nullopt;
    if (!stored || !check.valid || !user || !user->is_active) {
      core_log().warn("password login for '{}' from {} failed", username, host.client_address());
      data.add_row("ERROR").set("TEXT", request.translate("Please enter a correct username and password. "
                                                          "Note that both fields may be case-sensitive."));
      return request.render("allianceauth/password_login.html", data, 400);
    }
    if (check.needs_rehash) set_password_hash(sql, *user_id, hash_password(password));
    record_login(sql, *user_id);
    host.login(*user_id);
    core_log().info("user {} ({}) logged in with a password", username, *user_id);
    return Response::redirect(next);
  }
  return request.render("allianceauth/password_login.html", data);
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
