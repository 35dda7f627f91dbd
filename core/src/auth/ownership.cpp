#include "auth/ownership.hpp"

#include "app/logging.hpp"
#include "auth/accounts.hpp"
#include "auth/notifications.hpp"
#include "auth/states.hpp"
#include "db/database.hpp"
#include "web/i18n.hpp"

namespace aa::core {
namespace {

struct Ownership {
  long long user_id = 0;
  std::string owner_hash;
};

std::optional<Ownership> find_ownership(soci::session& sql, long long character_id) {
  Ownership ownership;
  sql << "SELECT user_id, owner_hash FROM character_ownerships WHERE character_id = :id", soci::use(character_id),
      soci::into(ownership.user_id), soci::into(ownership.owner_hash);
  if (!sql.got_data()) return std::nullopt;
  return ownership;
}

std::optional<long long> main_of(soci::session& sql, long long user_id) {
  long long main = 0;
  soci::indicator indicator = soci::i_null;
  sql << "SELECT main_character_id FROM user_profiles WHERE user_id = :id", soci::use(user_id),
      soci::into(main, indicator);
  if (!sql.got_data() || indicator == soci::i_null) return std::nullopt;
  return main;
}

// The most recent user recorded for this character and owner hash who still exists.
std::optional<long long> returning_user(soci::session& sql, long long character_id, const std::string& owner_hash) {
  long long user_id = 0;
  sql << "SELECT r.user_id FROM ownership_records r JOIN users u ON u.id = r.user_id "
         "WHERE r.character_id = :id AND r.owner_hash = :hash ORDER BY r.created DESC, r.id DESC LIMIT 1",
      soci::use(character_id), soci::use(owner_hash), soci::into(user_id);
  if (!sql.got_data()) return std::nullopt;
  return user_id;
}

void note_state_change(soci::session& sql, long long user_id, std::vector<SignalEvent>& events) {
  auto change = update_user_state(sql, user_id);
  if (change.changed()) {
    events.push_back({Signal::user_state_changed, user_id, 0, 0, change.new_state_id});
  }
}

}  // namespace

OwnershipService::OwnershipService(TokenStore& tokens) : tokens_(tokens) {}

void OwnershipService::attach(soci::session& sql, long long user_id, const TokenClaims& claims,
                              std::vector<SignalEvent>& events) {
  long long now = unix_now();
  sql << "INSERT INTO character_ownerships (character_id, user_id, owner_hash) VALUES (:character, :user, :hash)",
      soci::use(claims.character_id), soci::use(user_id), soci::use(claims.owner_hash);
  sql << "INSERT INTO ownership_records (character_id, owner_hash, user_id, created) "
         "VALUES (:character, :hash, :user, :now)",
      soci::use(claims.character_id), soci::use(claims.owner_hash), soci::use(user_id), soci::use(now);
  bump_auth_version(sql);
  events.push_back({Signal::character_ownership_changed, user_id, claims.character_id, 0, 0});
}

void OwnershipService::set_main(soci::session& sql, long long user_id, long long character_id,
                                std::vector<SignalEvent>& events) {
  if (main_of(sql, user_id) == character_id) return;
  sql << "UPDATE user_profiles SET main_character_id = :character WHERE user_id = :user", soci::use(character_id),
      soci::use(user_id);
  bump_auth_version(sql);
  events.push_back({Signal::main_character_changed, user_id, character_id, 0, 0});
  note_state_change(sql, user_id, events);
}

std::optional<long long> OwnershipService::release(soci::session& sql, long long character_id,
                                                   std::vector<SignalEvent>& events) {
  auto ownership = find_ownership(sql, character_id);
  if (!ownership) return std::nullopt;
  long long old_user = ownership->user_id;

  sql << "DELETE FROM character_ownerships WHERE character_id = :id", soci::use(character_id);
  sql << "DELETE FROM sso_token_scopes WHERE token_id IN "
         "(SELECT id FROM sso_tokens WHERE character_id = :id AND user_id = :user)",
      soci::use(character_id), soci::use(old_user);
  sql << "DELETE FROM sso_tokens WHERE character_id = :id AND user_id = :user", soci::use(character_id),
      soci::use(old_user);
  bool was_main = main_of(sql, old_user) == character_id;
  if (was_main) {
    sql << "UPDATE user_profiles SET main_character_id = NULL WHERE user_id = :user", soci::use(old_user);
    events.push_back({Signal::main_character_changed, old_user, 0, 0, 0});
  }
  bump_auth_version(sql);
  events.push_back({Signal::character_ownership_changed, old_user, character_id, 0, 0});
  note_state_change(sql, old_user, events);

  auto character = load_character(sql, character_id);
  std::string name = character ? character->character_name : std::to_string(character_id);
  notify(sql, old_user, gettext_noop("Character ownership changed"),
         was_main ? gettext_noop("{name} has moved to another EVE account and was removed from your account. It was "
                                 "your main character; choose a new one.")
                  : gettext_noop("{name} has moved to another EVE account and was removed from your account."),
         name);
  core_log().info("character {} ({}) detached from user {} after an owner hash change", name, character_id, old_user);
  return old_user;
}

void OwnershipService::notify(soci::session& sql, long long user_id, const char* title_id, const char* message_id,
                              const std::string& name) {
  std::string language;
  sql << "SELECT language FROM user_profiles WHERE user_id = :id", soci::use(user_id), soci::into(language);
  auto translate = [&](const char* msgid) {
    return translator_ ? translator_(language, msgid) : std::string(msgid);
  };
  auto message = translate(message_id);
  if (auto at = message.find("{name}"); at != std::string::npos) message.replace(at, 6, name);
  insert_notification(sql, user_id, NotificationLevel::warning, translate(title_id), message, notification_limit_);
}

void OwnershipService::store_affiliation(soci::session& sql, const VerifiedCharacter& verified) {
  if (verified.affiliation_is_fresh) save_affiliation(sql, verified.affiliation);
}

bool OwnershipService::refuse_biomassed(soci::session& sql, const VerifiedCharacter& verified,
                                        OwnershipResult& result) {
  const auto& character = verified.affiliation.character;
  if (!character.is_biomassed()) return false;

  int deleted = tokens_.delete_character_tokens(sql, character.character_id);
  if (auto owner = owner_of_character(sql, character.character_id)) {
    notify(sql, *owner, gettext_noop("Character biomassed"),
           gettext_noop("{name} is in Doomheim (biomassed); its SSO tokens were deleted."), character.character_name);
  }
  core_log().info("character {} ({}) is biomassed; deleted {} token(s)", character.character_name,
                  character.character_id, deleted);
  result.ok = false;
  result.message = gettext_noop("{name} has been biomassed and can no longer be used.");
  return true;
}

OwnershipResult OwnershipService::login(soci::session& sql, const VerifiedCharacter& verified) {
  OwnershipResult result;
  const auto& claims = verified.claims;
  store_affiliation(sql, verified);
  if (refuse_biomassed(sql, verified, result)) return result;

  // 1. A known ownership with the same owner hash: that user.
  auto ownership = find_ownership(sql, claims.character_id);
  if (ownership && ownership->owner_hash != claims.owner_hash) {
    release(sql, claims.character_id, result.events);
    ownership.reset();
  }
  std::optional<long long> user_id;
  if (ownership) {
    user_id = ownership->user_id;
  } else if (auto returning = returning_user(sql, claims.character_id, claims.owner_hash)) {
    // 2. Seen with this owner hash before: back to that user.
    user_id = returning;
    attach(sql, *user_id, claims, result.events);
    core_log().info("character {} re-attached to returning user {}", claims.character_id, *user_id);
  } else {
    // 3. New: a user named after the character, with it as main.
    NewUser user;
    user.username = username_for_character(sql, claims.character_name);
    user_id = create_user(sql, user);
    attach(sql, *user_id, claims, result.events);
    result.created_user = true;
    core_log().info("created user {} ({}) for character {} ({})", user.username, *user_id, claims.character_name,
                    claims.character_id);
  }

  // Only the main character logs in; a user without a main takes this one.
  auto main = main_of(sql, *user_id);
  if (!main) {
    set_main(sql, *user_id, claims.character_id, result.events);
  } else if (*main != claims.character_id) {
    tokens_.save(sql, *user_id, claims, verified.tokens);
    result.message = gettext_noop(
        "Unable to authenticate with {name}. Please log in with the main character associated with this account.");
    return result;
  }

  tokens_.save(sql, *user_id, claims, verified.tokens);
  note_state_change(sql, *user_id, result.events);
  record_login(sql, *user_id);
  result.ok = true;
  result.user_id = user_id;
  return result;
}

bool OwnershipService::claim(soci::session& sql, long long user_id, const VerifiedCharacter& verified,
                             const char* taken_message, OwnershipResult& result) {
  const auto& claims = verified.claims;
  store_affiliation(sql, verified);
  if (refuse_biomassed(sql, verified, result)) return false;

  auto ownership = find_ownership(sql, claims.character_id);
  if (ownership && ownership->owner_hash == claims.owner_hash && ownership->user_id != user_id) {
    result.message = taken_message;
    return false;
  }
  // A changed owner hash means the character moved to another EVE account,
  // so whoever proves ownership now takes it over.
  if (ownership && ownership->owner_hash != claims.owner_hash) {
    release(sql, claims.character_id, result.events);
    ownership.reset();
  }
  if (!ownership) attach(sql, user_id, claims, result.events);
  tokens_.save(sql, user_id, claims, verified.tokens);
  return true;
}

OwnershipResult OwnershipService::add_character(soci::session& sql, long long user_id,
                                                const VerifiedCharacter& verified) {
  OwnershipResult result;
  if (!claim(sql, user_id, verified, gettext_noop("Failed to add {name} to your account: they already have an account."),
             result)) {
    return result;
  }
  if (!main_of(sql, user_id)) set_main(sql, user_id, verified.claims.character_id, result.events);
  note_state_change(sql, user_id, result.events);
  result.ok = true;
  result.message = gettext_noop("Added {name} to your account.");
  return result;
}

OwnershipResult OwnershipService::change_main_by_token(soci::session& sql, long long user_id,
                                                       const VerifiedCharacter& verified) {
  OwnershipResult result;
  if (!claim(sql, user_id, verified,
             gettext_noop("Cannot change main character to {name}: character owned by a different account."),
             result)) {
    return result;
  }
  set_main(sql, user_id, verified.claims.character_id, result.events);
  result.ok = true;
  result.message = gettext_noop("Changed main character to {name}.");
  return result;
}

OwnershipResult OwnershipService::change_main(soci::session& sql, long long user_id, long long character_id) {
  OwnershipResult result;
  auto ownership = find_ownership(sql, character_id);
  if (!ownership || ownership->user_id != user_id) {
    result.message = gettext_noop("You do not own that character.");
    return result;
  }
  auto character = load_character(sql, character_id);
  if (character && character->is_biomassed()) {
    result.message = gettext_noop("{name} has been biomassed and can no longer be used.");
    return result;
  }
  set_main(sql, user_id, character_id, result.events);
  result.ok = true;
  result.message = gettext_noop("Changed main character to {name}.");
  return result;
}

}  // namespace aa::core
