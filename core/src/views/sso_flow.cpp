#include "views/sso_flow.hpp"

#include <soci/soci.h>

#include "app/app.hpp"
#include "auth/accounts.hpp"
#include "auth/crypto.hpp"
#include "auth/email_activation.hpp"
#include "db/database.hpp"
#include "db/retry.hpp"
#include "http/request.hpp"
#include "views/registration.hpp"
#include "web/i18n.hpp"
#include "web/layout.hpp"

namespace aa::core {
namespace {

// A pending state is valid this long: enough for a slow SSO login page.
constexpr long long kStateLifetimeSeconds = 600;

std::string_view purpose_name(SsoPurpose purpose) {
  switch (purpose) {
    case SsoPurpose::login: return "login";
    case SsoPurpose::add_character: return "add_character";
    case SsoPurpose::change_main: return "change_main";
  }
  return "login";
}

struct PendingState {
  std::string purpose;
  std::string next;
};

// Takes the pending state if it exists, belongs to this session and has
// not expired, and deletes it so it can be used only once. A state shown by
// another browser stays, so a leaked state cannot be burnt by someone else.
std::optional<PendingState> take_state(soci::session& sql, const std::string& state, const std::string& session_hash) {
  PendingState pending;
  std::string owner_hash;
  long long created = 0;
  sql << "SELECT session_hash, purpose, next_url, created FROM sso_pending_logins WHERE state = :state",
      soci::use(state), soci::into(owner_hash), soci::into(pending.purpose), soci::into(pending.next),
      soci::into(created);
  if (!sql.got_data()) return std::nullopt;
  if (!constant_time_equal(owner_hash, session_hash)) return std::nullopt;

  // Of concurrent callbacks with the same state, only the one whose delete
  // removes the row goes on.
  soci::statement remove = (sql.prepare << "DELETE FROM sso_pending_logins WHERE state = :state", soci::use(state));
  remove.execute(true);
  if (remove.get_affected_rows() != 1) return std::nullopt;
  if (created + kStateLifetimeSeconds < unix_now()) return std::nullopt;
  return pending;
}

std::string with_name(std::string text, const std::string& name) {
  auto at = text.find("{name}");
  if (at != std::string::npos) text.replace(at, 6, name);
  return text;
}

Response fail(CoreRequest& request, int status, const std::string& message_id, const std::string& log_detail) {
  core_log().warn("SSO callback from {} failed: {}", request.client_address(), log_detail);
  return render_error(request, status, request.translate(message_id));
}

}  // namespace

std::string safe_next(const std::string& next, const std::string& fallback) {
  if (next.empty() || next.front() != '/' || next.find("//") != std::string::npos ||
      next.find('\\') != std::string::npos) {
    return fallback;
  }
  for (char c : next) {
    if (static_cast<unsigned char>(c) < 0x20) return fallback;
  }
  return next;
}

Response start_sso(CoreRequest& request, SsoPurpose purpose, const std::vector<std::string>& scopes,
                   const std::string& next) {
  auto& app = request.host();
  auto state = random_token(32);
  auto& session = request.session();
  session.keep = true;  // Store the session now so the callback can find it.

  std::string scope_text;
  for (const auto& scope : scopes) scope_text += (scope_text.empty() ? "" : " ") + scope;
  std::string purpose_text(purpose_name(purpose));
  long long now = unix_now();
  long long stale = now - kStateLifetimeSeconds;
  auto& sql = request.db();
  sql << "DELETE FROM sso_pending_logins WHERE created < :stale", soci::use(stale);
  sql << "INSERT INTO sso_pending_logins (state, session_hash, purpose, scopes, next_url, created) "
         "VALUES (:state, :session, :purpose, :scopes, :next, :now)",
      soci::use(state), soci::use(session.key_hash), soci::use(purpose_text), soci::use(scope_text), soci::use(next),
      soci::use(now);

  auto url = app.sso().authorize_url(state, scopes);
  if (auto* error = std::get_if<SsoError>(&url)) {
    core_log().error("cannot start the SSO login: {}", error->message);
    return render_error(request, 503, request.translate("EVE SSO could not be reached. Please try again in a few minutes."));
  }
  return Response::redirect(std::get<std::string>(url));
}

Response finish_sso(CoreRequest& request) {
  auto& app = request.host();
  auto code = request.query("code").value_or("");
  auto state = request.query("state").value_or("");
  if (auto denied = request.query("error")) {
    return fail(request, 400, gettext_noop("The EVE SSO login was cancelled or refused."),
                "SSO returned error " + *denied);
  }
  if (code.empty() || state.empty() || code.size() > 4096 || state.size() > 128) {
    return fail(request, 400, gettext_noop("This login link is incomplete. Please log in again."),
                "missing or oversized code or state");
  }

  // 1. The state must be ours, unused, fresh and from this browser.
  if (!request.has_session()) {
    return fail(request, 400, gettext_noop("This login link has expired or was already used. Please log in again."),
                "callback without a session cookie");
  }
  auto pending = take_state(request.db(), state, request.session().key_hash);
  if (!pending) {
    return fail(request, 400, gettext_noop("This login link has expired or was already used. Please log in again."),
                "unknown, reused, foreign or expired state");
  }

  // 2. Exchange the code and verify the token.
  auto exchanged = app.sso().exchange_code(code);
  if (auto* error = std::get_if<SsoError>(&exchanged)) {
    if (error->kind == SsoError::Kind::unreachable) {
      return fail(request, 503, gettext_noop("EVE SSO could not be reached. Please try again in a few minutes."),
                  error->message);
    }
    return fail(request, 400, gettext_noop("EVE SSO did not accept this login. Please log in again."), error->message);
  }
  auto tokens = std::get<SsoTokens>(exchanged);
  auto verified = app.sso().verify(tokens.access_token, app.options().login_scopes);
  if (auto* message = std::get_if<std::string>(&verified)) {
    return fail(request, 400, gettext_noop("The token from EVE SSO is not valid, so you were not logged in."),
                *message);
  }
  auto claims = std::get<TokenClaims>(verified);

  // 3. Read the character's affiliation before writing anything. When ESI
  // is down, a character we already know logs in with what we stored.
  auto fetched = fetch_affiliation(app.esi(), claims.character_id, claims.character_name);
  CharacterAffiliation affiliation;
  bool fresh = true;
  if (auto* error = std::get_if<std::string>(&fetched)) {
    auto known = load_character(request.db(), claims.character_id);
    if (!known) {
      return fail(request, 503,
                  gettext_noop("EVE's ESI service is unavailable, so your character could not be looked up. "
                               "Please try again in a few minutes."),
                  "character " + std::to_string(claims.character_id) + ": " + *error);
    }
    core_log().warn("ESI unavailable while character {} logs in; using stored affiliation: {}", claims.character_id,
                    *error);
    affiliation.character = *known;
    fresh = false;
  } else {
    affiliation = std::get<CharacterAffiliation>(fetched);
  }
  VerifiedCharacter character{claims, tokens, affiliation, fresh};

  // 4. Apply the purpose in one transaction.
  auto& sql = request.db();
  if (pending->purpose != "login" && !request.user()) {
    return fail(request, 400, gettext_noop("Your session ended during the EVE SSO login. Please log in again."),
                "purpose " + pending->purpose + " without a logged-in user");
  }
  // Two first logins of one character at once race to create its user; the
  // loser runs again and finds the winner's user.
  bool verify_email = verify_email_enabled(app);
  auto result = with_write_retries(sql, "SSO " + pending->purpose, [&] {
    if (pending->purpose == "login") {
      auto login = app.ownership().login(sql, character);
      // A new user stays inactive until their email address is verified.
      if (login.ok && login.created_user && verify_email) begin_registration(sql, *login.user_id);
      return login;
    }
    if (pending->purpose == "add_character") return app.ownership().add_character(sql, request.user()->id, character);
    return app.ownership().change_main_by_token(sql, request.user()->id, character);
  });
  for (const auto& event : result.events) app.emit(event);

  auto text = with_name(request.translate(result.message), claims.character_name);
  if (pending->purpose == "login") {
    if (!result.ok) {
      core_log().info("login of character {} ({}) refused: {}", claims.character_name, claims.character_id,
                      result.message);
      request.add_message(MessageLevel::error, text);
      return Response::redirect(request.url_for("authentication:login"));
    }
    auto user = load_user(sql, *result.user_id);
    if (user && !user->is_active) return continue_inactive_login(request, *user);
    request.login(*result.user_id);
    core_log().info("user {} logged in with character {} ({})", *result.user_id, claims.character_name,
                    claims.character_id);
    return Response::redirect(safe_next(pending->next, request.url_for("authentication:dashboard")));
  }
  request.add_message(result.ok ? MessageLevel::success : MessageLevel::error, text);
  return Response::redirect(request.url_for("authentication:dashboard"));
}

}  // namespace aa::core
