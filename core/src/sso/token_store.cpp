#include "sso/token_store.hpp"

#include <algorithm>
#include <stdexcept>

#include "app/logging.hpp"
#include "db/database.hpp"

namespace aa::core {

TokenStore::TokenStore(const SecretBox& box, SsoClient& sso) : box_(box), sso_(sso) {}

long long TokenStore::save(soci::session& sql, std::optional<long long> user_id, const TokenClaims& claims,
                           const SsoTokens& tokens) {
  soci::indicator user_ind = user_id ? soci::i_ok : soci::i_null;
  long long user = user_id.value_or(0);
  auto access = box_.seal(tokens.access_token);
  auto refresh = box_.seal(tokens.refresh_token);
  long long now = unix_now();
  // NOTE: every save adds a row. Tokens of the same user, character and
  // scopes are not merged, so each SSO login of a character adds one more.
  sql << "INSERT INTO sso_tokens (user_id, character_id, character_name, character_owner_hash, token_type, "
         "access_token, refresh_token, expires_at, created) "
         "VALUES (:user, :character, :name, :owner, :type, :access, :refresh, :expires, :now)",
      soci::use(user, user_ind), soci::use(claims.character_id), soci::use(claims.character_name),
      soci::use(claims.owner_hash), soci::use(claims.token_type), soci::use(access), soci::use(refresh),
      soci::use(claims.expires_at), soci::use(now);
  // The id of this connection's insert: sqlite3_last_insert_rowid and
  // LAST_INSERT_ID() are per connection, so a concurrent save cannot mix in.
  long long id = 0;
  if (!sql.get_last_insert_id("sso_tokens", id)) throw std::runtime_error("the new SSO token has no id");
  for (const auto& scope : claims.scopes) {
    sql << "INSERT INTO sso_token_scopes (token_id, scope) VALUES (:id, :scope)", soci::use(id), soci::use(scope);
  }
  return id;
}

std::vector<StoredToken> TokenStore::tokens_of_character(soci::session& sql, long long character_id) {
  std::vector<StoredToken> tokens;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, user_id, character_id, character_name, character_owner_hash, access_token, "
                      "refresh_token, expires_at FROM sso_tokens WHERE character_id = :id ORDER BY id DESC",
       soci::use(character_id));
  for (const auto& row : rows) {
    StoredToken token;
    token.id = row_int(row, 0);
    if (row.get_indicator(1) != soci::i_null) token.user_id = row_int(row, 1);
    token.character_id = row_int(row, 2);
    token.character_name = row_string(row, 3);
    token.owner_hash = row_string(row, 4);
    // A token sealed under another secret_key cannot be opened; it is kept
    // as empty text and fails at refresh instead of taking the page down.
    token.access_token = box_.open(row_string(row, 5)).value_or("");
    token.refresh_token = box_.open(row_string(row, 6)).value_or("");
    token.expires_at = row_int(row, 7);
    tokens.push_back(std::move(token));
  }
  for (auto& token : tokens) {
    soci::rowset<std::string> scopes =
        (sql.prepare << "SELECT scope FROM sso_token_scopes WHERE token_id = :id", soci::use(token.id));
    token.scopes.assign(scopes.begin(), scopes.end());
  }
  return tokens;
}

std::vector<StoredToken> TokenStore::token_summaries_of_user(soci::session& sql, long long user_id) {
  std::vector<StoredToken> tokens;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, user_id, character_id, character_name, character_owner_hash, expires_at "
                      "FROM sso_tokens WHERE user_id = :id ORDER BY character_name, id DESC",
       soci::use(user_id));
  for (const auto& row : rows) {
    StoredToken token;
    token.id = row_int(row, 0);
    token.user_id = row_int(row, 1);
    token.character_id = row_int(row, 2);
    token.character_name = row_string(row, 3);
    token.owner_hash = row_string(row, 4);
    token.expires_at = row_int(row, 5);
    tokens.push_back(std::move(token));
  }
  for (auto& token : tokens) {
    soci::rowset<std::string> scopes =
        (sql.prepare << "SELECT scope FROM sso_token_scopes WHERE token_id = :id ORDER BY scope", soci::use(token.id));
    token.scopes.assign(scopes.begin(), scopes.end());
  }
  return tokens;
}

std::optional<StoredToken> TokenStore::token_by_id(soci::session& sql, long long token_id) {
  long long character_id = 0;
  sql << "SELECT character_id FROM sso_tokens WHERE id = :id", soci::use(token_id), soci::into(character_id);
  if (!sql.got_data()) return std::nullopt;
  for (auto& token : tokens_of_character(sql, character_id)) {
    if (token.id == token_id) return std::move(token);
  }
  return std::nullopt;
}

bool TokenStore::delete_token(soci::session& sql, long long token_id) {
  sql << "DELETE FROM sso_token_scopes WHERE token_id = :id", soci::use(token_id);
  soci::statement remove = (sql.prepare << "DELETE FROM sso_tokens WHERE id = :id", soci::use(token_id));
  remove.execute(true);
  return remove.get_affected_rows() == 1;
}

int TokenStore::delete_character_tokens(soci::session& sql, long long character_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM sso_tokens WHERE character_id = :id", soci::use(character_id), soci::into(count);
  sql << "DELETE FROM sso_token_scopes WHERE token_id IN (SELECT id FROM sso_tokens WHERE character_id = :id)",
      soci::use(character_id);
  sql << "DELETE FROM sso_tokens WHERE character_id = :id", soci::use(character_id);
  return count;
}

RefreshOutcome TokenStore::refresh(soci::session& sql, const StoredToken& token) {
  RefreshOutcome outcome;
  auto refreshed = sso_.refresh(token.refresh_token);
  if (auto* error = std::get_if<SsoError>(&refreshed)) {
    outcome.error = error->message;
    if (error->kind == SsoError::Kind::rejected) {
      outcome.kind = RefreshOutcome::Kind::rejected;
      sql << "DELETE FROM sso_token_scopes WHERE token_id = :id", soci::use(token.id);
      sql << "DELETE FROM sso_tokens WHERE id = :id", soci::use(token.id);
    }
    return outcome;
  }
  auto& fresh = std::get<SsoTokens>(refreshed);
  auto verified = sso_.verify(fresh.access_token, {});
  // The SSO may rotate the refresh token; keep the newest one even when the
  // access token cannot be verified, because the old one no longer works.
  auto refresh_token = box_.seal(fresh.refresh_token.empty() ? token.refresh_token : fresh.refresh_token);
  if (auto* message = std::get_if<std::string>(&verified)) {
    outcome.error = "the refreshed access token failed verification: " + *message;
    sql << "UPDATE sso_tokens SET refresh_token = :refresh WHERE id = :id", soci::use(refresh_token),
        soci::use(token.id);
    return outcome;
  }
  outcome.kind = RefreshOutcome::Kind::refreshed;
  outcome.claims = std::get<TokenClaims>(verified);
  auto access = box_.seal(fresh.access_token);
  sql << "UPDATE sso_tokens SET access_token = :access, refresh_token = :refresh, expires_at = :expires, "
         "character_owner_hash = :owner WHERE id = :id",
      soci::use(access), soci::use(refresh_token), soci::use(outcome.claims.expires_at),
      soci::use(outcome.claims.owner_hash), soci::use(token.id);
  return outcome;
}

std::optional<std::string> TokenStore::valid_access_token(soci::session& sql, long long character_id,
                                                          const std::vector<std::string>& scopes) {
  for (auto& token : tokens_of_character(sql, character_id)) {
    bool has_scopes = std::all_of(scopes.begin(), scopes.end(), [&](const std::string& scope) {
      return std::find(token.scopes.begin(), token.scopes.end(), scope) != token.scopes.end();
    });
    if (!has_scopes) continue;
    // Refresh a minute early so the token does not expire in flight.
    if (token.expires_at > unix_now() + 60 && !token.access_token.empty()) return token.access_token;

    auto refreshed = sso_.refresh(token.refresh_token);
    if (auto* error = std::get_if<SsoError>(&refreshed)) {
      if (error->kind == SsoError::Kind::rejected) {
        core_log().warn("refresh of token {} of character {} was rejected ({}); deleting the token", token.id,
                           character_id, error->message);
        sql << "DELETE FROM sso_token_scopes WHERE token_id = :id", soci::use(token.id);
        sql << "DELETE FROM sso_tokens WHERE id = :id", soci::use(token.id);
      } else {
        core_log().warn("refresh of token {} of character {} failed ({}); keeping the token", token.id,
                           character_id, error->message);
      }
      continue;
    }
    auto& fresh = std::get<SsoTokens>(refreshed);
    auto verified = sso_.verify(fresh.access_token, {});
    if (auto* message = std::get_if<std::string>(&verified)) {
      core_log().warn("refreshed token {} of character {} failed verification: {}", token.id, character_id,
                         *message);
      // The SSO has already rotated the refresh token, and the old one no
      // longer works, so the new one is kept for the next attempt.
      if (!fresh.refresh_token.empty()) {
        auto rotated = box_.seal(fresh.refresh_token);
        sql << "UPDATE sso_tokens SET refresh_token = :refresh WHERE id = :id", soci::use(rotated),
            soci::use(token.id);
      }
      continue;
    }
    auto claims = std::get<TokenClaims>(verified);
    auto access = box_.seal(fresh.access_token);
    // The SSO may rotate the refresh token; keep the newest one.
    auto refresh = box_.seal(fresh.refresh_token.empty() ? token.refresh_token : fresh.refresh_token);
    sql << "UPDATE sso_tokens SET access_token = :access, refresh_token = :refresh, expires_at = :expires, "
           "character_owner_hash = :owner WHERE id = :id",
        soci::use(access), soci::use(refresh), soci::use(claims.expires_at), soci::use(claims.owner_hash),
        soci::use(token.id);
    return fresh.access_token;
  }
  return std::nullopt;
}

}  // namespace aa::core
