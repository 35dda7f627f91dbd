// Admins of EVE characters (eveonline.evecharacter), character ownerships
// (authentication.characterownership) and ownership records
// (authentication.ownershiprecord). Characters and ownerships come from
// EVE SSO and ESI, so they are shown and deleted here, never edited.
#include <soci/soci.h>

#include <boost/json.hpp>

#include "admin/models/admin_support.hpp"
#include "admin/models/core_admins.hpp"
#include "app/app.hpp"
#include "auth/accounts.hpp"
#include "auth/states.hpp"
#include "db/database.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

constexpr const char* kUpdateCharacterTask = "allianceauth.eveonline.tasks.update_character";

std::string username_of(soci::session& sql, long long user_id) {
  std::string name;
  sql << "SELECT username FROM users WHERE id = :id", soci::use(user_id), soci::into(name);
  return name;
}

std::optional<long long> main_of(soci::session& sql, long long user_id) {
  long long main = 0;
  soci::indicator indicator = soci::i_null;
  sql << "SELECT main_character_id FROM user_profiles WHERE user_id = :id", soci::use(user_id),
      soci::into(main, indicator);
  if (!sql.got_data() || indicator == soci::i_null) return std::nullopt;
  return main;
}

// Signals of detaching `character_id` from `user_id`, for after the commit.
std::function<void()> detach_signals(App& app, long long user_id, long long character_id, bool was_main,
                                     StateChange state) {
  return [&app, user_id, character_id, was_main, state] {
    app.emit({Signal::character_ownership_changed, user_id, character_id, 0, 0});
    if (was_main) app.emit({Signal::main_character_changed, user_id, 0, 0, 0});
    if (state.changed()) app.emit({Signal::user_state_changed, user_id, 0, 0, state.new_state_id});
  };
}

// --- Characters -------------------------------------------------------------

std::optional<AdminObject> load_character_object(Request& request, long long id) {
  auto& sql = request.db();
  auto character = load_character(sql, id);
  if (!character) return std::nullopt;
  AdminObject object;
  object.id = id;
  object.display = character->character_name;
  object.values.set("character_id", std::to_string(id));
  object.values.set("character_name", character->character_name);
  object.values.set("corporation", character->corporation_name + " [" + character->corporation_ticker + "] (" +
                                       std::to_string(character->corporation_id) + ")");
  object.values.set("alliance", character->alliance_id ? character->alliance_name + " (" +
                                                             std::to_string(*character->alliance_id) + ")"
                                                       : std::string());
  object.values.set("faction", character->faction_id ? character->faction_name : std::string());
  auto owner = owner_of_character(sql, id);
  object.values.set("owner", owner ? username_of(sql, *owner) : std::string());
  return object;
}

AdminWriteResult remove_character(Request& request, const AdminObject& object) {
  auto& sql = request.db();
  auto& app = host_of(request);
  AdminWriteResult result;
  long long id = object.id;

  std::vector<long long> states;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT state_id FROM state_member_characters WHERE character_id = :id", soci::use(id));
  for (const auto& row : rows) states.push_back(row_int(row, 0));
  auto owner = owner_of_character(sql, id);
  bool was_main = owner && main_of(sql, *owner) == id;

  app.tokens().delete_character_tokens(sql, id);
  // Ownerships, ownership records and state memberships go with the
  // character (ON DELETE CASCADE); a main character reference becomes NULL.
  sql << "DELETE FROM eve_characters WHERE character_id = :id", soci::use(id);
  bump_auth_version(sql);
  if (owner) {
    auto state = update_user_state(sql, *owner);
    result.after_commit.push_back(detach_signals(app, *owner, id, was_main, state));
  }
  for (long long state_id : states) {
    result.after_commit.push_back([&app, state_id] { app.emit({Signal::state_rules_changed, 0, 0, 0, state_id}); });
  }
  return result;
}

AdminActionResult update_from_esi(Request& request, const std::vector<long long>& ids) {
  auto& queue = request.app().tasks();
  std::size_t queued = 0;
  for (long long id : ids) {
    auto enqueued = queue.enqueue(kUpdateCharacterTask, boost::json::object{{"character_id", id}});
    if (enqueued.ok()) {
      ++queued;
    } else {
      core_log().error("enqueueing {} for character {} failed: {}", kUpdateCharacterTask, id, enqueued.error);
    }
  }
  if (queued < ids.size()) {
    return {MessageLevel::error,
            text::fill(request.translate("Queued an update of {queued} of {count} characters; the others could not be "
                                   "queued, see the log."),
                 {{"queued", std::to_string(queued)}, {"count", std::to_string(ids.size())}})};
  }
  return {MessageLevel::success, text::fill(request.translate("Queued an update from ESI of {count} characters."),
                                      {{"count", std::to_string(queued)}})};
}

void register_characters(aa::Registry& registry) {
  declare_model_permissions(registry, "eveonline", "evecharacter", "eve character");

  AdminHook hook;
  hook.app_label = "eveonline";
  hook.app_verbose_name = gettext_noop("EVE Online");
  hook.model_name = "evecharacter";
  hook.verbose_name = gettext_noop("EVE character");
  hook.verbose_name_plural = gettext_noop("EVE characters");
  hook.columns = {
      {"character_name", gettext_noop("Character")},
      {"character_id", gettext_noop("Character ID")},
      {"corporation_name", gettext_noop("Corporation")},
      {"alliance_name", gettext_noop("Alliance")},
      {"owner", gettext_noop("User")},
  };
  hook.filters = {{"owned", gettext_noop("owned by a user"), {{"1", gettext_noop("Yes")}, {"0", gettext_noop("No")}}}};
  hook.searchable = true;
  hook.default_order = "character_name";
  hook.fields = {
      readonly_field("character_id", gettext_noop("Character ID")),
      readonly_field("character_name", gettext_noop("Character")),
      readonly_field("corporation", gettext_noop("Corporation")),
      readonly_field("alliance", gettext_noop("Alliance")),
      readonly_field("faction", gettext_noop("Faction")),
      readonly_field("owner", gettext_noop("User")),
  };
  hook.list = admin_sql_list({
      .from = "eve_characters c LEFT JOIN character_ownerships o ON o.character_id = c.character_id "
              "LEFT JOIN users u ON u.id = o.user_id",
      .id_expression = "c.character_id",
      .columns = {{"character_name", "c.character_name"},
                  {"character_id", "c.character_id"},
                  {"corporation_name", "c.corporation_name"},
                  {"alliance_name", "c.alliance_name"},
                  {"owner", "u.username"}},
      .search_expressions = {"c.character_name", "c.corporation_name", "c.alliance_name", "u.username"},
      .filters = {{"owned", "CASE WHEN o.user_id IS NULL THEN 0 ELSE 1 END"}},
      .integer_filters = {"owned"},
  });
  hook.load = load_character_object;
  hook.remove = remove_character;
  hook.actions = {{.name = "update_from_esi", .label = gettext_noop("Update from ESI"), .run = update_from_esi}};
  registry.add_admin(std::move(hook));
}

// --- Ownerships and ownership records share their shape ---------------------
// Both tie a user to a character by owner hash, so their change pages, their
// display and their search are the same. A record adds its creation time.

// The joins of users (u) and characters (c) onto the table `alias`, which
// has user_id and character_id columns. The alias is a constant of this file.
std::string ownership_joins(const std::string& alias) {
  return "JOIN users u ON u.id = " + alias + ".user_id JOIN eve_characters c ON c.character_id = " + alias +
         ".character_id";
}

// An admin object shown as "Character (user)".
AdminObject ownership_object(long long id, const std::string& character, const std::string& user,
                             const std::string& owner_hash) {
  AdminObject object;
  object.id = id;
  object.display = character + " (" + user + ")";
  object.values.set("character", character);
  object.values.set("user", user);
  object.values.set("owner_hash", owner_hash);
  return object;
}

// The hook of an authentication model over users' characters, with its
// permissions declared, its read-only fields and its search filled in.
AdminHook ownership_hook(aa::Registry& registry, const char* model_name, const char* verbose_name,
                         const char* verbose_name_plural) {
  declare_model_permissions(registry, "authentication", model_name, verbose_name);

  AdminHook hook;
  hook.app_label = "authentication";
  hook.app_verbose_name = gettext_noop("Authentication");
  hook.model_name = model_name;
  hook.verbose_name = verbose_name;
  hook.verbose_name_plural = verbose_name_plural;
  hook.searchable = true;
  hook.fields = {
      readonly_field("character", gettext_noop("Character")),
      readonly_field("user", gettext_noop("User")),
      readonly_field("owner_hash", gettext_noop("Owner hash")),
  };
  return hook;
}

const std::vector<std::string> kOwnershipSearch = {"u.username", "c.character_name", "c.corporation_name",
                                                   "c.alliance_name"};

// --- Character ownerships -----------------------------------------------------

std::optional<AdminObject> load_ownership(Request& request, long long character_id) {
  auto& sql = request.db();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT o.user_id, o.owner_hash, u.username, c.character_name FROM character_ownerships o " +
                          ownership_joins("o") + " WHERE o.character_id = :id",
       soci::use(character_id));
  for (const auto& row : rows) {
    return ownership_object(character_id, row_string(row, 3), row_string(row, 2), row_string(row, 1));
  }
  return std::nullopt;
}

// As upstream: deleting an ownership detaches the character from its user,
// drops the user's tokens of it, clears it as main and re-checks the state.
AdminWriteResult remove_ownership(Request& request, const AdminObject& object) {
  auto& sql = request.db();
  auto& app = host_of(request);
  AdminWriteResult result;
  long long character_id = object.id;
  auto owner = owner_of_character(sql, character_id);
  if (!owner) return result;
  bool was_main = main_of(sql, *owner) == character_id;

  sql << "DELETE FROM character_ownerships WHERE character_id = :id", soci::use(character_id);
  sql << "DELETE FROM sso_token_scopes WHERE token_id IN "
         "(SELECT id FROM sso_tokens WHERE character_id = :id AND user_id = :user)",
      soci::use(character_id), soci::use(*owner);
  sql << "DELETE FROM sso_tokens WHERE character_id = :id AND user_id = :user", soci::use(character_id),
      soci::use(*owner);
  if (was_main) {
    sql << "UPDATE user_profiles SET main_character_id = NULL WHERE user_id = :user", soci::use(*owner);
  }
  bump_auth_version(sql);
  auto state = update_user_state(sql, *owner);
  result.after_commit.push_back(detach_signals(app, *owner, character_id, was_main, state));
  return result;
}

void register_ownerships(aa::Registry& registry) {
  auto hook = ownership_hook(registry, "characterownership", gettext_noop("character ownership"),
                             gettext_noop("character ownerships"));
  hook.columns = {
      {"user", gettext_noop("User")},
      {"character", gettext_noop("Character")},
      {"owner_hash", gettext_noop("Owner hash"), AdminColumnKind::text, false},
  };
  hook.default_order = "user";
  hook.list = admin_sql_list({
      .from = "character_ownerships o " + ownership_joins("o"),
      .id_expression = "o.character_id",
      .columns = {{"user", "u.username"}, {"character", "c.character_name"}, {"owner_hash", "o.owner_hash"}},
      .search_expressions = kOwnershipSearch,
  });
  hook.load = load_ownership;
  hook.remove = remove_ownership;
  registry.add_admin(std::move(hook));
}

// --- Ownership records ----------------------------------------------------------

std::optional<AdminObject> load_record(Request& request, long long id) {
  auto& sql = request.db();
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT r.owner_hash, r.created, u.username, c.character_name FROM ownership_records r " +
                          ownership_joins("r") + " WHERE r.id = :id",
       soci::use(id));
  for (const auto& row : rows) {
    auto object = ownership_object(id, row_string(row, 3), row_string(row, 2), row_string(row, 0));
    object.values.set("created", text::format_eve_time(row_int(row, 1)));
    return object;
  }
  return std::nullopt;
}

AdminWriteResult remove_record(Request& request, const AdminObject& object) {
  request.db() << "DELETE FROM ownership_records WHERE id = :id", soci::use(object.id);
  return {};
}

void register_ownership_records(aa::Registry& registry) {
  auto hook = ownership_hook(registry, "ownershiprecord", gettext_noop("ownership record"),
                             gettext_noop("ownership records"));
  hook.columns = {
      {"user", gettext_noop("User")},
      {"character", gettext_noop("Character")},
      {"created", gettext_noop("Created"), AdminColumnKind::time},
  };
  hook.default_order = "-created";
  hook.fields.push_back(readonly_field("created", gettext_noop("Created")));
  hook.list = admin_sql_list({
      .from = "ownership_records r " + ownership_joins("r"),
      .id_expression = "r.id",
      .columns = {{"user", "u.username"}, {"character", "c.character_name"}, {"created", "r.created"}},
      .search_expressions = kOwnershipSearch,
  });
  hook.load = load_record;
  hook.remove = remove_record;
  registry.add_admin(std::move(hook));
}

}  // namespace

void register_character_admins(aa::Registry& registry, App&) {
  register_characters(registry);
  register_ownerships(registry);
  register_ownership_records(registry);
}

}  // namespace aa::core
