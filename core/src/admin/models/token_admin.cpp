// The SSO token admin (esi.token): who holds a token for which character
// and scopes, and when it expires. Tokens come from EVE SSO, so they are
// shown and deleted, never edited; the access and refresh tokens
// themselves are never shown.
#include <soci/soci.h>

#include "admin/models/admin_support.hpp"
#include "admin/models/core_admins.hpp"
#include "app/app.hpp"
#include "db/database.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

std::string scopes_of(soci::session& sql, long long token_id) {
  std::string text;
  soci::rowset<std::string> scopes =
      (sql.prepare << "SELECT scope FROM sso_token_scopes WHERE token_id = :id ORDER BY scope", soci::use(token_id));
  for (const auto& scope : scopes) text += (text.empty() ? "" : " ") + scope;
  return text;
}

std::optional<AdminObject> load_token(Request& request, long long id) {
  auto& sql = request.db();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT t.character_id, t.character_name, t.token_type, t.created, t.expires_at, u.username "
                      "FROM sso_tokens t LEFT JOIN users u ON u.id = t.user_id WHERE t.id = :id",
       soci::use(id));
  for (const auto& row : rows) {
    AdminObject object;
    object.id = id;
    object.display = row_string(row, 1) + " (" + std::to_string(id) + ")";
    object.values.set("character", row_string(row, 1) + " (" + std::to_string(row_int(row, 0)) + ")");
    object.values.set("user", row_string(row, 5));
    object.values.set("token_type", row_string(row, 2));
    object.values.set("scopes", scopes_of(sql, id));
    object.values.set("created", text::format_eve_time(row_int(row, 3)));
    object.values.set("expires", text::format_eve_time(row_int(row, 4)));
    return object;
  }
  return std::nullopt;
}

AdminWriteResult remove_token(Request& request, const AdminObject& object) {
  host_of(request).tokens().delete_token(request.db(), object.id);
  return {};
}

}  // namespace

void register_token_admin(aa::Registry& registry, App&) {
  declare_model_permissions(registry, "esi", "token", "token");

  AdminHook hook;
  hook.app_label = "esi";
  hook.app_verbose_name = gettext_noop("EVE SSO tokens");
  hook.model_name = "token";
  hook.verbose_name = gettext_noop("token");
  hook.verbose_name_plural = gettext_noop("tokens");
  hook.columns = {
      {"character", gettext_noop("Character")},
      {"user", gettext_noop("User")},
      {"token_type", gettext_noop("Token type")},
      {"created", gettext_noop("Created"), AdminColumnKind::time},
      {"expires", gettext_noop("Access token expires"), AdminColumnKind::time},
  };
  hook.filters = {{"has_user", gettext_noop("has a user"), {{"1", gettext_noop("Yes")}, {"0", gettext_noop("No")}}}};
  hook.searchable = true;
  hook.default_order = "-created";
  hook.fields = {
      readonly_field("character", gettext_noop("Character")),
      readonly_field("user", gettext_noop("User")),
      readonly_field("token_type", gettext_noop("Token type")),
      readonly_field("scopes", gettext_noop("Scopes")),
      readonly_field("created", gettext_noop("Created")),
      readonly_field("expires", gettext_noop("Access token expires")),
  };
  hook.list = admin_sql_list({
      .from = "sso_tokens t LEFT JOIN users u ON u.id = t.user_id",
      .id_expression = "t.id",
      .columns = {{"character", "t.character_name"},
                  {"user", "u.username"},
                  {"token_type", "t.token_type"},
                  {"created", "t.created"},
                  {"expires", "t.expires_at"}},
      .search_expressions = {"t.character_name", "u.username"},
      .filters = {{"has_user", "CASE WHEN t.user_id IS NULL THEN 0 ELSE 1 END"}},
      .integer_filters = {"has_user"},
  });
  hook.load = load_token;
  hook.remove = remove_token;
  registry.add_admin(std::move(hook));
}

}  // namespace aa::core
