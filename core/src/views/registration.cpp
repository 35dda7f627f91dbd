// Registration with email verification (upstream's REGISTRATION_VERIFY_EMAIL
// flow, steps 2 and 3): a user created by their first SSO login gives an
// email address, gets a link by mail, and opens it to activate the account.
// The registering user is known only through "registration_uid" in the
// session, which the SSO callback sets after proving the character.
#include "views/registration.hpp"

#include <boost/json.hpp>

#include "aa/db.hpp"
#include "aa/template.hpp"
#include "aa/text.hpp"
#include "app/app.hpp"
#include "auth/accounts.hpp"
#include "auth/activation_mail_limit.hpp"
#include "auth/email_activation.hpp"
#include "db/database.hpp"
#include "db/retry.hpp"
#include "http/request.hpp"
#include "mail/mailer.hpp"
#include "views/views.hpp"
#include "web/i18n.hpp"
#include "web/layout.hpp"

namespace aa::core {
namespace {

constexpr const char* kRegistrationKey = "registration_uid";
constexpr std::size_t kMaxEmailLength = 254;

CoreRequest& core(Request& request) { return static_cast<CoreRequest&>(request); }

// The user this browser is registering, while their registration is pending.
std::optional<long long> registering_user(CoreRequest& request) {
  if (!request.has_session()) return std::nullopt;
  auto& data = request.session().data;
  auto it = data.find(kRegistrationKey);
  if (it == data.end() || !it->value().is_int64()) return std::nullopt;
  long long user_id = it->value().as_int64();
  if (!registration_pending(request.db(), user_id)) return std::nullopt;
  return user_id;
}

Response registration_expired(CoreRequest& request) {
  request.add_message(MessageLevel::error, request.translate("Registration token has expired."));
  return Response::redirect(request.url_for("authentication:login"));
}

std::string trim(const std::string& text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string with_value(std::string text, const std::string& placeholder, const std::string& value) {
  if (auto at = text.find(placeholder); at != std::string::npos) text.replace(at, placeholder.size(), value);
  return text;
}

// The per-field error for the email field, or nothing when it may be saved.
std::optional<std::string> email_field_error(CoreRequest& request, const std::string& email, long long user_id) {
  if (email.empty()) return request.translate("This field is required.");
  if (email.size() > kMaxEmailLength) {
    auto text = request.translate("Ensure this value has at most {max} characters (it has {length}).");
    return with_value(with_value(text, "{max}", std::to_string(kMaxEmailLength)), "{length}",
                      std::to_string(email.size()));
  }
  if (email_address_problem(email)) return request.translate("Enter a valid email address.");
  if (email_in_use(request.db(), email, user_id)) return request.translate("This email address is already in use.");
  return std::nullopt;
}

Response render_register(CoreRequest& request, const std::string& email, const std::optional<std::string>& error,
                         int status) {
  TemplateData data;
  data.set("TITLE", request.translate("Register"));
  data.set("ACTION_URL", request.url_for("authentication:registration_register"));
  // A hostile or oversized value is shown back cut to the field's size.
  data.set("EMAIL", email.substr(0, kMaxEmailLength));
  data.set("MAX_LENGTH", static_cast<long long>(kMaxEmailLength));
  if (error) {
    data.show("EMAIL_INVALID");
    data.add_row("EMAIL_ERROR").set("TEXT", *error);
  }
  return render_page(request, "allianceauth/registration/register.html", data, status);
}

// The form again with the limit's message under the field. The message is
// the same whether or not the address belongs to anyone, and gives the
// numbers so the user knows when to come back.
Response mail_limit_reached(CoreRequest& request, const std::string& email, const ActivationMailLimit& limit,
                            long long wait_seconds) {
  auto text = aa::text::fill(
      request.translate("No new link was sent, because one address gets at most one activation mail every {minutes} "
                        "minutes and {count} in 24 hours. Try again after {time} (EVE time)."),
      {{"minutes", std::to_string(limit.interval_seconds / 60)},
       {"count", std::to_string(limit.per_day)},
       {"time", aa::text::format_eve_time(unix_now() + wait_seconds)}});
  return render_register(request, email, text, 429);
}

// The outcome of the registration transaction: the activation whose mail was
// reserved, or the seconds until the address's limit allows the next mail.
struct Reservation {
  std::optional<long long> wait;
  long long activation_id = 0;
};

// The form again when the transaction kept losing races with other requests
// (a MariaDB deadlock or lock wait timeout, a busy SQLite file): nothing was
// saved or sent.
Response registration_busy(CoreRequest& request, const std::string& email, long long user_id,
                           const soci::soci_error& error) {
  core_log().error("could not save the registration address of user {}: {}; no mail was queued", user_id,
                   error.what());
  return render_register(
      request, email,
      request.translate("The server is busy, so no link was sent. Wait a minute and send the form again."), 503);
}

// Housekeeping: a failure here loses nothing a limit needs, so it is logged.
void prune_old_mail_records(soci::session& sql, long long now) {
  try {
    prune_activation_mail_sends(sql, now);
  } catch (const soci::soci_error& error) {
    core_log().warn("could not delete activation mail records older than a day: {}; the next registration tries "
                    "again",
                    error.what());
  }
}

Response activation_failed(CoreRequest& request, ActivationOutcome outcome) {
  TemplateData data;
  std::string heading;
  std::string text;
  switch (outcome) {
    case ActivationOutcome::expired:
      heading = request.translate("This activation link has expired");
      text = request.translate(
          "Log in with EVE Online again and ask for a new link; the new one is valid for the same number of days.");
      break;
    case ActivationOutcome::already_used:
      heading = request.translate("This activation link was already used");
      text = request.translate("The account is active. Log in with EVE Online.");
      break;
    default:
      heading = request.translate("This activation link is not valid");
      text = request.translate(
          "Check that the whole link was copied. A link stops working when a newer one is sent; use the newest mail, "
          "or log in with EVE Online again to ask for a new link.");
      break;
  }
  data.set("TITLE", heading);
  data.set("HEADING", heading);
  data.set("TEXT", text);
  data.set("LOGIN_URL", request.url_for("authentication:login"));
  return render_page(request, "allianceauth/registration/activation_failed.html", data,
                     outcome == ActivationOutcome::expired ? 410 : 400);
}

}  // namespace

bool verify_email_enabled(App& app) { return app.config().get_bool("registration.verify_email").value_or(false); }

Response continue_inactive_login(CoreRequest& request, const User& user) {
  if (!registration_pending(request.db(), user.id)) {
    core_log().info("inactive user {} tried to log in; refused", user.id);
    request.add_message(MessageLevel::error,
                        request.translate("Unable to authenticate as the selected character: the account is disabled."));
    return Response::redirect(request.url_for("authentication:login"));
  }

  // The browser proved the character; a new session key keeps a session
  // planted before the SSO login from taking over the registration.
  auto& session = request.session();
  request.host().sessions().rotate(request.db(), session);
  session.data[kRegistrationKey] = user.id;
  session.dirty = true;
  session.keep = true;
  auto activation = activation_of_user(request.db(), user.id);
  if (activation && !activation->email.empty()) {
    request.add_message(MessageLevel::warning,
                        request.translate("Your email address is not verified yet. Open the link in the activation "
                                          "mail, or send a new link below."));
  }
  return Response::redirect(request.url_for("authentication:registration_register"));
}

namespace views {

Response register_page(Request& request) {
  auto& host = core(request);
  auto user_id = registering_user(host);
  if (!user_id) return registration_expired(host);
  auto activation = activation_of_user(request.db(), *user_id);

  if (request.method() != Method::post) return render_register(host, activation ? activation->email : "", {}, 200);

  auto email = trim(request.form("email").value_or(""));
  if (auto error = email_field_error(host, email, *user_id)) return render_register(host, email, error, 400);

  auto limit = ActivationMailLimit::from_config(host.host().config());
  auto now = unix_now();
  Reservation reservation;
  try {
    reservation = with_write_retries(request.db(), "saving the registration address", [&] {
      Reservation attempt;
      attempt.wait = reserve_activation_mail(request.db(), limit, email, now);
      // Over the limit only the address's lock row is written: the user's
      // address and language stay as they were.
      if (attempt.wait) return attempt;
      core::set_language(request.db(), *user_id, std::string(request.language()));
      attempt.activation_id = set_registration_email(request.db(), *user_id, email);
      return attempt;
    });
  } catch (const soci::soci_error& error) {
    if (!is_retryable(error)) throw;
    return registration_busy(host, email, *user_id, error);
  }
  prune_old_mail_records(request.db(), now);
  if (reservation.wait) {
    core_log().info("activation mail for user {} not sent: its address reached the mail limit; the next is "
                    "allowed in {} s",
                    *user_id, *reservation.wait);
    return mail_limit_reached(host, email, limit, *reservation.wait);
  }
  auto activation_id = reservation.activation_id;
  auto enqueued = host.host().tasks().enqueue(
      {.name = "allianceauth.authentication.tasks.send_activation_email",
       .args = boost::json::object{{"activation_id", activation_id}}});
  if (!enqueued.ok()) {
    core_log().error("could not queue the activation mail of user {}: {}; the user can ask again", *user_id,
                     enqueued.error);
    request.add_message(MessageLevel::error,
                        request.translate("The activation mail could not be sent. Please try again in a few minutes."));
    return Response::redirect(request.url_for("authentication:registration_register"));
  }
  core_log().info("user {} registered an email address; activation mail queued as task {}", *user_id, enqueued.id);
  return Response::redirect(request.url_for("authentication:registration_complete"));
}

Response registration_complete(Request& request) {
  auto& host = core(request);
  TemplateData data;
  data.set("TITLE", request.translate("Check your email"));
  auto days = host.host().config().int_or("registration.activation_days", 7);
  data.set("VALIDITY", with_value(request.translate("The link stays valid for {days} days."), "{days}",
                                  std::to_string(days)));
  // The mail goes out later in a task that retries and may fail for good,
  // so the page states that it is being sent, not that it was.
  std::string email;
  if (auto user_id = registering_user(host)) {
    auto activation = activation_of_user(request.db(), *user_id);
    if (activation) email = activation->email;
    auto& resend = data.add_row("RESEND");
    resend.set("EMAIL", email);
    resend.set("ACTION_URL", request.url_for("authentication:registration_register"));
  }
  data.set("SENDING",
           email.empty()
               ? request.translate("We are sending you an activation link. Open it to activate your account.")
               : aa::text::fill(request.translate("We are sending an activation link to {address}. Open it to "
                                                  "activate your account."),
                                {{"address", email}}));
  return request.render("allianceauth/registration/complete.html", data);
}

Response activate_page(Request& request) {
  auto& host = core(request);
  std::string key(request.path_param("activation_key"));

  if (request.method() != Method::post) {
    // Opening the link only shows a button: mail scanners that fetch every
    // link must not use it up.
    auto checked = check_activation_key(request.db(), key);
    if (checked.outcome != ActivationOutcome::activated) return activation_failed(host, checked.outcome);
    TemplateData data;
    data.set("TITLE", request.translate("Activate your account"));
    data.set("ACTION_URL", request.url_for("authentication:registration_activate", {{"activation_key", key}}));
    return request.render("allianceauth/registration/activate.html", data);
  }

  ActivationResult result;
  {
    aa::WriteTransaction transaction(request.db());
    result = use_activation_key(request.db(), key);
    transaction.commit();
  }
  if (result.outcome != ActivationOutcome::activated) return activation_failed(host, result.outcome);
  core_log().info("user {} verified their email address and is active", result.user_id);
  if (host.has_session()) {
    host.session().data.erase(kRegistrationKey);
    host.session().dirty = true;
  }
  return Response::redirect(request.url_for("authentication:registration_activation_complete"));
}

Response activation_complete(Request& request) {
  TemplateData data;
  data.set("TITLE", request.translate("Account activated"));
  data.set("LOGIN_URL", request.url_for("authentication:login"));
  return request.render("allianceauth/registration/activation_complete.html", data);
}

}  // namespace views
}  // namespace aa::core
