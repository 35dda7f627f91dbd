// Character ownership by owner hash, and the decisions of SSO login, adding
// a character and changing the main character. The EVE owner hash changes
// when a character moves to another EVE account, so a stored ownership whose
// hash differs from the token's is no longer trusted: the character is
// detached from its old user and attached to whoever proves ownership now.
//
// Every function expects to run inside one transaction with its caller, so
// a failure leaves no half-made user or ownership behind.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/signals.hpp"
#include "auth/notifications.hpp"
#include "eve/eve_entities.hpp"
#include "sso/token_store.hpp"

namespace aa::core {

/// The outcome of one SSO flow. `message` is an English message id with
/// "{name}" for the character name; the view translates it.
struct OwnershipResult {
  bool ok = false;
  std::optional<long long> user_id;  ///< The user who logs in (login only).
  bool created_user = false;
  std::string message;
  /// Signals to emit once the transaction has committed.
  std::vector<SignalEvent> events;
};

/// Everything an SSO callback hands over after the token was verified and
/// the character's affiliation was read from ESI.
struct VerifiedCharacter {
  TokenClaims claims;
  SsoTokens tokens;
  CharacterAffiliation affiliation;
  /// False when ESI was down and `affiliation` holds what the database
  /// already had; it is then not written back.
  bool affiliation_is_fresh = true;
};

/// Translates a message id into a language code; used for notifications,
/// which are written in the recipient's language.
using MessageTranslator = std::function<std::string(const std::string& language, const std::string& msgid)>;

class OwnershipService {
 public:
  explicit OwnershipService(TokenStore& tokens);

  /// Sets how notification texts are translated; without it they stay English.
  void set_translator(MessageTranslator translator) { translator_ = std::move(translator); }
  /// Sets notifications.max_per_user for the notifications it writes.
  void set_notification_limit(int max_per_user) { notification_limit_ = max_per_user; }

  /// Logs in by a main character, creating the user on first login.
  OwnershipResult login(soci::session& sql, const VerifiedCharacter& verified);
  /// Attaches the character to `user_id`.
  OwnershipResult add_character(soci::session& sql, long long user_id, const VerifiedCharacter& verified);
  /// Makes the token's character the main of `user_id`, attaching it first if nobody owns it.
  OwnershipResult change_main_by_token(soci::session& sql, long long user_id, const VerifiedCharacter& verified);
  /// Makes a character the user already owns their main.
  OwnershipResult change_main(soci::session& sql, long long user_id, long long character_id);

  /// Detaches a character from its owner: removes the ownership and the
  /// owner's tokens of it, and clears it as the owner's main. Returns the
  /// former owner. Used on an owner-hash change.
  std::optional<long long> release(soci::session& sql, long long character_id, std::vector<SignalEvent>& events);

 private:
  void attach(soci::session& sql, long long user_id, const TokenClaims& claims, std::vector<SignalEvent>& events);
  void set_main(soci::session& sql, long long user_id, long long character_id, std::vector<SignalEvent>& events);
  /// Makes `user_id` the character's owner for add_character and
  /// change_main_by_token: refuses a biomassed character or one another
  /// account owns with the same hash (with `taken_message`), takes over one
  /// whose hash changed, and stores the token. False when refused.
  bool claim(soci::session& sql, long long user_id, const VerifiedCharacter& verified, const char* taken_message,
             OwnershipResult& result);
  /// Stores the character's affiliation when it came from ESI just now.
  void store_affiliation(soci::session& sql, const VerifiedCharacter& verified);
  /// Handles a biomassed character: deletes its tokens and notifies its owner.
  bool refuse_biomassed(soci::session& sql, const VerifiedCharacter& verified, OwnershipResult& result);

  /// Notifies `user_id` in their language; "{name}" in the texts becomes `name`.
  void notify(soci::session& sql, long long user_id, const char* title_id, const char* message_id,
              const std::string& name);

  TokenStore& tokens_;
  MessageTranslator translator_;
  int notification_limit_ = kDefaultNotificationsPerUser;
};

}  // namespace aa::core
