// allianceauth.authentication.tasks.send_activation_email
// {"activation_id": N}: makes a fresh activation key, stores its hash and
// mails the link. The key exists only in the mail, never in the queue: a
// retry after a failed send makes a new key, which replaces the old one.
#include <boost/json.hpp>
#include <fmt/format.h>
#include <soci/soci.h>

#include "app/app.hpp"
#include "app/logging.hpp"
#include "auth/accounts.hpp"
#include "auth/email_activation.hpp"
#include "mail/mailer.hpp"
#include "tasks/core_tasks.hpp"
#include "web/i18n.hpp"

namespace aa::core {
namespace {

std::string replace_all(std::string text, const std::string& key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size())) {
    text.replace(at, key.size(), value);
  }
  return text;
}

void send_activation_email(App& app, long long activation_id) {
  soci::session sql(app.db().pool());
  auto activation = activation_by_id(sql, activation_id);
  if (!activation || activation->used_at || activation->email.empty()) {
    core_log().info("activation {} is gone, used or has no address; no mail sent", activation_id);
    return;
  }
  auto user = load_user(sql, activation->user_id);
  if (!user) return;

  long long days = app.config().int_or("registration.activation_days", 7);
  std::optional<std::string> key;
  {
    aa::WriteTransaction transaction(sql);
    key = issue_activation_key(sql, activation_id, days * 86400);
    transaction.commit();
  }
  if (!key) return;

  auto& translator = app.translator();
  auto language = user->language.empty() ? translator.default_language() : user->language;
  auto translate = [&](const char* msgid) {
    auto text = translator.translate(language, msgid);
    text = replace_all(text, "{site}", app.options().site_name);
    text = replace_all(text, "{days}", std::to_string(days));
    text = replace_all(text, "{username}", user->username);
    return text;
  };
  MailMessage message;
  message.to = activation->email;
  message.subject = translate(gettext_noop("Activate your {site} account"));
  // The path of authentication:registration_activate; the worker process
  // that runs this task has no router.
  auto link = app.options().site_url + "/account/activate/" + *key + "/";
  message.body = translate(gettext_noop(
                     "Someone, probably you, registered the account {username} on {site} with this email address.\n"
                     "\n"
                     "To activate the account, open this link within {days} days:\n")) +
                 link + "\n\n" +
                 translate(gettext_noop("If it was not you, ignore this mail; the account stays inactive.\n"));

  auto settings = MailSettings::from_config(app.config());
  if (auto error = send_mail(settings, message)) {
    // Thrown so the task runner retries; the message names no key.
    throw std::runtime_error("activation mail " + std::to_string(activation_id) + " for user " +
                             std::to_string(user->id) + ": " + *error);
  }
  core_log().info("sent the activation mail of user {} (activation {})", user->id, activation_id);
}

}  // namespace

void register_registration_tasks(aa::Registry& registry, App& app) {
  auto retries = static_cast<int>(app.config().int_or("email.retries", 5));
  auto pause = std::chrono::seconds(app.config().int_or("email.retry_pause_seconds", 60));
  registry.add_task({.name = "allianceauth.authentication.tasks.send_activation_email",
                     .run = [&app](aa::TaskRun& run) {
                       send_activation_email(app, integer_field(run.args, "activation_id"));
                     },
                     .check_args = [](const boost::json::value& args) {
                       return require_integer_fields(args, {"activation_id"});
                     },
                     .priority = 1,
                     .max_retries = retries,
                     .retry_pause = pause});
}

}  // namespace aa::core
