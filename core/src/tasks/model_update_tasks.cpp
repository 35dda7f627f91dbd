// The model update: every stored character, corporation and alliance
// refreshed from ESI at low priority (7), as upstream's run_model_update
// does. Characters go to /characters/affiliation/ in batches of up to 1000.
// Only those whose corporation, alliance or faction changed are read in
// full. A change re-checks the owner's state, and a biomassed character
// loses its SSO tokens.
#include <boost/json.hpp>

#include <map>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "auth/accounts.hpp"
#include "auth/states.hpp"
#include "db/database.hpp"
#include "eve/eve_entities.hpp"
#include "tasks/core_tasks.hpp"

namespace aa::core {
namespace {

namespace json = boost::json;

constexpr const char* kRunModelUpdate = "allianceauth.eveonline.tasks.run_model_update";
constexpr const char* kUpdateCorp = "allianceauth.eveonline.tasks.update_corp";
constexpr const char* kUpdateAlliance = "allianceauth.eveonline.tasks.update_alliance";
constexpr const char* kUpdateChunk = "allianceauth.eveonline.tasks.update_character_chunk";
constexpr const char* kUpdateCharacter = "allianceauth.eveonline.tasks.update_character";

std::optional<long long> optional_id(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end() || !it->value().is_number()) return std::nullopt;
  return it->value().to_number<long long>();
}

std::string text(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  return it != object.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
}

std::vector<long long> all_ids(App& app, const std::string& query) {
  soci::session sql(app.db().pool());
  std::vector<long long> ids;
  soci::rowset<soci::row> rows = sql.prepare << query;
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return ids;
}

// A GET of an ESI object; throws with ESI's message so the task is retried.
json::object esi_object(App& app, const std::string& path) {
  auto response = app.esi().get(path);
  if (!response.ok()) throw std::runtime_error("ESI " + path + " failed: " + response.error);
  auto value = json::parse(response.body);
  if (!value.is_object()) throw std::runtime_error("ESI " + path + " did not return a JSON object");
  return value.as_object();
}

void run_model_update(App& app) {
  auto enqueue = [&app](const char* task, json::value args) {
    TaskCall call;
    call.name = task;
    call.args = std::move(args);
    auto enqueued = app.tasks().enqueue(call);
    if (!enqueued.ok()) throw std::runtime_error(enqueued.error);
  };

  auto corporations = all_ids(app, "SELECT corporation_id FROM eve_corporations ORDER BY corporation_id");
  for (long long id : corporations) enqueue(kUpdateCorp, json::object{{"corporation_id", id}});
  auto alliances = all_ids(app, "SELECT alliance_id FROM eve_alliances ORDER BY alliance_id");
  for (long long id : alliances) enqueue(kUpdateAlliance, json::object{{"alliance_id", id}});

  auto characters = all_ids(app, "SELECT character_id FROM eve_characters ORDER BY character_id");
  std::size_t chunks = 0;
  for (std::size_t first = 0; first < characters.size(); first += kAffiliationBatch) {
    json::array ids;
    for (std::size_t i = first; i < std::min(characters.size(), first + kAffiliationBatch); ++i) {
      ids.push_back(characters[i]);
    }
    enqueue(kUpdateChunk, json::object{{"character_ids", std::move(ids)}});
    ++chunks;
  }
  core_log().info("model update: enqueued {} corporation(s), {} alliance(s) and {} character chunk(s) of up to {}",
                  corporations.size(), alliances.size(), chunks, kAffiliationBatch);
}

void update_corp(App& app, long long corporation_id) {
  auto corp = esi_object(app, "/corporations/" + std::to_string(corporation_id) + "/");
  auto alliance = optional_id(corp, "alliance_id");
  auto faction = optional_id(corp, "faction_id");
  auto ceo = optional_id(corp, "ceo_id");
  soci::indicator alliance_ind = alliance ? soci::i_ok : soci::i_null;
  soci::indicator faction_ind = faction ? soci::i_ok : soci::i_null;
  soci::indicator ceo_ind = ceo ? soci::i_ok : soci::i_null;
  long long alliance_id = alliance.value_or(0);
  long long faction_id = faction.value_or(0);
  long long ceo_id = ceo.value_or(0);
  long long members = optional_id(corp, "member_count").value_or(0);
  auto name = text(corp, "name");
  auto ticker = text(corp, "ticker");
  long long now = unix_now();
  soci::session sql(app.db().pool());
  sql << "UPDATE eve_corporations SET corporation_name = :name, corporation_ticker = :ticker, member_count = :members, "
         "ceo_id = :ceo, alliance_id = :alliance, faction_id = :faction, updated_at = :now WHERE corporation_id = :id",
      soci::use(name), soci::use(ticker), soci::use(members), soci::use(ceo_id, ceo_ind),
      soci::use(alliance_id, alliance_ind), soci::use(faction_id, faction_ind), soci::use(now),
      soci::use(corporation_id);
}

void update_alliance(App& app, long long alliance_id) {
  auto alliance = esi_object(app, "/alliances/" + std::to_string(alliance_id) + "/");
  auto executor = optional_id(alliance, "executor_corporation_id");
  soci::indicator executor_ind = executor ? soci::i_ok : soci::i_null;
  long long executor_id = executor.value_or(0);
  auto name = text(alliance, "name");
  auto ticker = text(alliance, "ticker");
  long long now = unix_now();
  soci::session sql(app.db().pool());
  sql << "UPDATE eve_alliances SET alliance_name = :name, alliance_ticker = :ticker, executor_corp_id = :executor, "
         "updated_at = :now WHERE alliance_id = :id",
      soci::use(name), soci::use(ticker), soci::use(executor_id, executor_ind), soci::use(now),
      soci::use(alliance_id);
}

// Stores new affiliations in one transaction, re-checks the owners' states
// and drops the tokens of biomassed characters, then emits the signals. One
// transaction per batch keeps SQLite's single writer from being handed
// back and forth between workers for every character.
void apply_affiliations(App& app, const std::vector<CharacterAffiliation>& affiliations) {
  if (affiliations.empty()) return;
  std::vector<SignalEvent> events;
  {
    soci::session sql(app.db().pool());
    aa::WriteTransaction transaction(sql);
    for (const auto& affiliation : affiliations) {
      const auto& character = affiliation.character;
      save_affiliation(sql, affiliation);
      if (auto owner = owner_of_character(sql, character.character_id)) {
        events.push_back({Signal::character_affiliation_changed, *owner, character.character_id, 0, 0});
        auto change = update_user_state(sql, *owner);
        if (change.changed()) events.push_back({Signal::user_state_changed, *owner, 0, 0, change.new_state_id});
      }
      if (character.is_biomassed()) {
        int deleted = app.tokens().delete_character_tokens(sql, character.character_id);
        core_log().info("character {} ({}) is biomassed; deleted {} SSO token(s)", character.character_name,
                        character.character_id, deleted);
      }
    }
    transaction.commit();
  }
  for (const auto& affiliation : affiliations) {
    const auto& character = affiliation.character;
    core_log().info("character {} ({}) is now in corporation {}, alliance {}", character.character_name,
                    character.character_id, character.corporation_id, character.alliance_id.value_or(0));
  }
  for (const auto& event : events) app.emit(event);
}

void update_character(App& app, long long character_id) {
  std::optional<Character> stored;
  {
    soci::session sql(app.db().pool());
    stored = load_character(sql, character_id);
  }
  auto fetched = fetch_affiliation(app.esi(), character_id, stored ? stored->character_name : std::string());
  if (auto* error = std::get_if<std::string>(&fetched)) throw std::runtime_error(*error);
  apply_affiliations(app, {std::get<CharacterAffiliation>(fetched)});
}

// The stored characters of `ids`, by id.
std::map<long long, Character> stored_characters(App& app, const json::array& ids) {
  std::map<long long, Character> characters;
  soci::session sql(app.db().pool());
  for (const auto& id : ids) {
    if (auto character = load_character(sql, id.to_number<long long>())) characters[character->character_id] = *character;
  }
  return characters;
}

void update_character_chunk(App& app, const json::array& ids) {
  json::array body;
  for (const auto& id : ids) body.push_back(id);
  auto response = app.esi().post("/characters/affiliation/", json::serialize(body));
  if (response.status == 404) {
    // ESI returns 404 for the whole batch when any one id is unknown, so
    // each character is updated on its own, as upstream does.
    core_log().warn("ESI /characters/affiliation/ rejected a batch of {} ({}); updating them one by one", ids.size(),
                    response.error);
    for (const auto& id : ids) {
      auto enqueued = app.tasks().enqueue(kUpdateCharacter, json::object{{"character_id", id}});
      if (!enqueued.ok()) throw std::runtime_error(enqueued.error);
    }
    return;
  }
  if (!response.ok()) throw std::runtime_error("ESI /characters/affiliation/ failed: " + response.error);

  auto entries = json::parse(response.body);
  if (!entries.is_array()) throw std::runtime_error("ESI /characters/affiliation/ did not return a JSON array");
  auto stored = stored_characters(app, ids);

  // ESI calls first, outside any transaction: only changed characters need
  // their corporation's and alliance's names, mostly from the ESI cache.
  std::vector<CharacterAffiliation> changed;
  for (const auto& entry : entries.as_array()) {
    if (!entry.is_object()) continue;
    const auto& object = entry.as_object();
    auto character_id = optional_id(object, "character_id");
    if (!character_id) continue;
    auto it = stored.find(*character_id);
    if (it == stored.end()) continue;
    Character fresh;
    fresh.character_id = *character_id;
    fresh.character_name = it->second.character_name;
    fresh.corporation_id = optional_id(object, "corporation_id").value_or(0);
    fresh.alliance_id = optional_id(object, "alliance_id");
    fresh.faction_id = optional_id(object, "faction_id");
    if (it->second.corporation_id == fresh.corporation_id && it->second.alliance_id == fresh.alliance_id &&
        it->second.faction_id == fresh.faction_id) {
      continue;
    }
    auto completed = complete_affiliation(app.esi(), fresh);
    if (auto* error = std::get_if<std::string>(&completed)) {
      core_log().warn("character {} changed affiliation but its corporation or alliance could not be read: {}; it "
                      "is retried alone",
                      *character_id, *error);
      app.tasks().enqueue(kUpdateCharacter, json::object{{"character_id", *character_id}});
      continue;
    }
    changed.push_back(std::move(std::get<CharacterAffiliation>(completed)));
  }

  apply_affiliations(app, changed);
  core_log().debug("model update: {} of {} character(s) in the chunk changed affiliation", changed.size(), ids.size());
}

std::string check_chunk(const json::value& args) {
  const char* expected = "expected {\"character_ids\": [<integer>, ...]} with 1 to 1000 ids";
  if (!args.is_object()) return expected;
  auto it = args.as_object().find("character_ids");
  if (it == args.as_object().end() || !it->value().is_array()) return expected;
  const auto& ids = it->value().as_array();
  if (ids.empty() || ids.size() > kAffiliationBatch) return expected;
  for (const auto& id : ids) {
    if (!id.is_int64() && !id.is_uint64()) return "character id " + json::serialize(id) + " is not an integer";
  }
  return {};
}

}  // namespace

void register_model_update_tasks(aa::Registry& registry, App& app) {
  registry.add_task({.name = kRunModelUpdate,
                     .run = [&app](aa::TaskRun&) { run_model_update(app); },
                     .check_args = require_no_arguments,
                     .priority = kTaskPriorityBulk,
                     .only_once = true});
  registry.add_task({.name = kUpdateCorp,
                     .run = [&app](aa::TaskRun& run) { update_corp(app, integer_field(run.args, "corporation_id")); },
                     .check_args = [](const json::value& args) { return require_integer_fields(args, {"corporation_id"}); },
                     .priority = kTaskPriorityBulk,
                     .max_retries = 3,
                     .retry_pause = std::chrono::seconds(60),
                     .only_once = true});
  registry.add_task({.name = kUpdateAlliance,
                     .run = [&app](aa::TaskRun& run) { update_alliance(app, integer_field(run.args, "alliance_id")); },
                     .check_args = [](const json::value& args) { return require_integer_fields(args, {"alliance_id"}); },
                     .priority = kTaskPriorityBulk,
                     .max_retries = 3,
                     .retry_pause = std::chrono::seconds(60),
                     .only_once = true});
  registry.add_task({.name = kUpdateChunk,
                     .run = [&app](aa::TaskRun& run) {
                       update_character_chunk(app, run.args.as_object().at("character_ids").as_array());
                     },
                     .check_args = check_chunk,
                     .priority = kTaskPriorityBulk,
                     .max_retries = 3,
                     .retry_pause = std::chrono::seconds(60)});
  registry.add_task({.name = kUpdateCharacter,
                     .run = [&app](aa::TaskRun& run) { update_character(app, integer_field(run.args, "character_id")); },
                     .check_args = [](const json::value& args) { return require_integer_fields(args, {"character_id"}); },
                     .priority = kTaskPriorityBulk,
                     .max_retries = 3,
                     .retry_pause = std::chrono::seconds(60),
                     .only_once = true});
}

}  // namespace aa::core
