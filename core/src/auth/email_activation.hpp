// Email verification of new accounts (upstream's REGISTRATION_VERIFY_EMAIL):
// a new user stays inactive with a pending activation until they give an
// address and open the emailed link. One row per user in email_activations;
// the link's key is random and only its SHA-256 is stored, a new link
// replaces the old one, and a used link stays recorded so that reusing it
// gets a clear answer.
#pragma once

#include <optional>
#include <string>

#include <soci/soci.h>

namespace aa::core {

struct PendingActivation {
  long long id = 0;
  long long user_id = 0;
  std::string email;  ///< Empty until the user gives one.
  bool link_issued = false;
  long long expires_at = 0;
  std::optional<long long> used_at;
};

/// Marks a just-created user inactive and pending registration.
void begin_registration(soci::session& sql, long long user_id);
/// The user's activation row, if there is one (used or not).
std::optional<PendingActivation> activation_of_user(soci::session& sql, long long user_id);
std::optional<PendingActivation> activation_by_id(soci::session& sql, long long activation_id);
/// True when the user is inactive because their registration is not done.
bool registration_pending(soci::session& sql, long long user_id);

/// Stores the address the user gave (on the user too) and forgets any
/// earlier link. Returns the activation id the mail task takes.
long long set_registration_email(soci::session& sql, long long user_id, const std::string& email);
/// Another active user with this address, compared without case.
bool email_in_use(soci::session& sql, const std::string& email, long long except_user_id);

/// Makes a new link key for an unused activation: stores its hash and an
/// expiry `lifetime_seconds` from now, and returns the key. Nothing when the
/// activation is gone or used.
std::optional<std::string> issue_activation_key(soci::session& sql, long long activation_id, long long lifetime_seconds);

enum class ActivationOutcome { activated, expired, already_used, unknown };

struct ActivationResult {
  ActivationOutcome outcome = ActivationOutcome::unknown;
  long long user_id = 0;
};

/// Checks a link key without using it.
ActivationResult check_activation_key(soci::session& sql, const std::string& key);
/// Uses a link key: activates the user and records the use, once; a second
/// call with the same key answers already_used. Call in a write transaction.
ActivationResult use_activation_key(soci::session& sql, const std::string& key);

}  // namespace aa::core
