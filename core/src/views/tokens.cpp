// The token management page (upstream's authentication:token_management):
// a user sees their SSO tokens with character, scopes and expiry, and
// refreshes or deletes one. Token secrets are never shown. A token of
// another user is answered 403 and left alone.
#include <ctime>

#include <boost/json.hpp>
#include <fmt/chrono.h>

#include "aa/evelinks.hpp"
#include "aa/template.hpp"
#include "aa/text.hpp"
#include "app/app.hpp"
#include "auth/accounts.hpp"
#include "http/request.hpp"
#include "views/views.hpp"
#include "web/layout.hpp"

namespace aa::core::views {
namespace {

CoreRequest& core(Request& request) { return static_cast<CoreRequest&>(request); }

std::string format_timestamp(long long unix_seconds) {
  return fmt::format("{:%Y-%m-%d %H:%M}", fmt::gmtime(static_cast<std::time_t>(unix_seconds)));
}

// The token of the path's id when it belongs to the user; else the answer.
std::variant<StoredToken, Response> own_token(CoreRequest& request) {
  auto parsed = aa::text::parse_id(request.path_param("token_id"));
  if (!parsed) return Response::error(404);
  long long token_id = *parsed;
  auto token = request.host().tokens().token_by_id(request.db(), token_id);
  if (!token) return Response::error(404);
  if (!token->user_id || *token->user_id != request.user()->id) {
    core_log().warn("user {} tried to change token {} of user {}; refused", request.user()->id, token_id,
                    token->user_id.value_or(0));
    return Response::error(403);
  }
  return *token;
}

std::string with_name(std::string text, const std::string& name) {
  if (auto at = text.find("{name}"); at != std::string::npos) text.replace(at, 6, name);
  return text;
}

}  // namespace

Response token_management(Request& request) {
  auto& host = core(request);
  auto tokens = host.host().tokens().token_summaries_of_user(request.db(), request.user()->id);
  long long now = unix_now();

  TemplateData data;
  data.set("TITLE", request.translate("Token Management"));
  data.set("ADD_CHARACTER_URL", request.url_for("authentication:add_character"));
  if (tokens.empty()) data.show("NO_TOKENS");
  else data.show("HAS_TOKENS");
  for (const auto& token : tokens) {
    auto& row = data.add_row("TOKEN");
    auto id = std::to_string(token.id);
    row.set("ID", id);
    row.set("CHARACTER_NAME", token.character_name);
    row.set("PORTRAIT_URL", evelinks::character_portrait_url(token.character_id, 32));
    for (const auto& scope : token.scopes) row.add_row("SCOPE").set("NAME", scope);
    if (token.scopes.empty()) row.show("NO_SCOPES");
    row.set("EXPIRES", format_timestamp(token.expires_at));
    row.show(token.expires_at > now ? "VALID" : "EXPIRED");
    row.set("REFRESH_URL", request.url_for("authentication:token_refresh", {{"token_id", id}}));
    row.set("DELETE_URL", request.url_for("authentication:token_delete", {{"token_id", id}}));
  }
  return request.render("allianceauth/tokens.html", data);
}

Response token_delete(Request& request) {
  auto& host = core(request);
  auto found = own_token(host);
  if (auto* denied = std::get_if<Response>(&found)) return *denied;
  const auto& token = std::get<StoredToken>(found);

  {
    aa::WriteTransaction transaction(request.db());
    host.host().tokens().delete_token(request.db(), token.id);
    transaction.commit();
  }
  core_log().info("user {} deleted token {} of character {}", request.user()->id, token.id, token.character_id);
  request.add_message(MessageLevel::success,
                      with_name(request.translate("Deleted the token of {name}."), token.character_name));
  return Response::redirect(request.url_for("authentication:token_management"));
}

Response token_refresh(Request& request) {
  auto& host = core(request);
  auto found = own_token(host);
  if (auto* denied = std::get_if<Response>(&found)) return *denied;
  const auto& token = std::get<StoredToken>(found);

  // The user asked for it and waits for the answer, so the SSO is called
  // here rather than in a task, within the SSO client's timeouts.
  auto outcome = host.host().tokens().refresh(request.db(), token);
  auto back = Response::redirect(request.url_for("authentication:token_management"));
  switch (outcome.kind) {
    case RefreshOutcome::Kind::refreshed:
      if (outcome.claims.owner_hash != token.owner_hash) {
        // The character changed hands: the ownership check decides who keeps it.
        core_log().warn("token {} of character {} has a new owner hash after refresh; checking ownership", token.id,
                        token.character_id);
        auto enqueued = host.host().tasks().enqueue(
            {.name = "allianceauth.authentication.tasks.check_character_ownership",
             .args = boost::json::object{{"character_id", token.character_id}}});
        if (!enqueued.ok()) core_log().error("could not queue the ownership check: {}", enqueued.error);
      }
      request.add_message(MessageLevel::success,
                          with_name(request.translate("Refreshed the token of {name}."), token.character_name));
      return back;
    case RefreshOutcome::Kind::rejected:
      core_log().info("refresh of token {} of user {} was rejected ({}); the token was deleted", token.id,
                      request.user()->id, outcome.error);
      request.add_message(MessageLevel::warning,
                          with_name(request.translate("EVE SSO no longer accepts the token of {name}, so it was "
                                                      "deleted. Add the character again to get a new one."),
                                    token.character_name));
      return back;
    case RefreshOutcome::Kind::unavailable:
      core_log().warn("refresh of token {} of user {} failed: {}; nothing changed", token.id, request.user()->id,
                      outcome.error);
      request.add_message(MessageLevel::error,
                          request.translate("EVE SSO could not be reached. Please try again in a few minutes."));
      return back;
  }
  return back;
}

}  // namespace aa::core::views
