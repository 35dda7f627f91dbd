// The SMTP mailer against the loopback sink, email address checks, and the
// activation store (hashed single-use keys, expiry, replacement) on both
// databases.
#include <doctest/doctest.h>

#include "auth/accounts.hpp"
#include "auth/crypto.hpp"
#include "auth/email_activation.hpp"
#include "db/database.hpp"
#include "mail/mailer.hpp"
#include "smtp_sink.hpp"
#include "test_support.hpp"

using namespace aa::core;
using aa::test::SmtpSink;

namespace {

MailSettings sink_settings(const SmtpSink& sink) {
  MailSettings settings;
  settings.host = "127.0.0.1";
  settings.port = sink.port();
  settings.use_tls = false;
  settings.from = "Alliance Auth <auth@example.org>";
  settings.timeout_seconds = 5;
  return settings;
}

}  // namespace

TEST_CASE("mail: hostile addresses and headers rejected") {
  SmtpSink sink;
  auto settings = sink_settings(sink);
  for (const std::string to : {"", "no-at-sign", "a@b", "two@@example.org", "x@example.org\r\nBcc: y@example.org",
                               "x y@example.org", "<x>@example.org", "x@.example.org", "x@example.org."}) {
    CAPTURE(to);
    CHECK(email_address_problem(to));
    CHECK(send_mail(settings, {to, "Subject", "Body"}));
  }
  CHECK(email_address_problem(std::string(243, 'a') + "@example.org"));
  CHECK_FALSE(email_address_problem("pilot.name+tag@mail.example.org"));
  auto injected = send_mail(settings, {"pilot@example.org", "Hello\r\nBcc: victim@example.net", "Body"});
  REQUIRE(injected);
  CHECK(*injected == "a header contains a line break");
  CHECK(sink.connections() == 0);

  settings.host.clear();
  auto unconfigured = send_mail(settings, {"pilot@example.org", "Subject", "Body"});
  REQUIRE(unconfigured);
  CHECK(unconfigured->find("email.host") != std::string::npos);
}

TEST_CASE("mail: sink gets headers, UTF-8 subject, dot-stuffing") {
  SmtpSink sink;
  auto settings = sink_settings(sink);
  auto error = send_mail(settings, {"pilot@example.org", "Aktivierung für Kaelen", "Line one\n.\n..two\nLast"});
  REQUIRE_FALSE(error);
  REQUIRE(sink.wait_for(1, std::chrono::seconds(5)));
  auto message = sink.messages().front();
  CHECK(message.mail_from == "auth@example.org");
  CHECK(message.recipients == std::vector<std::string>{"pilot@example.org"});
  CHECK(message.header("from") == "Alliance Auth <auth@example.org>");
  CHECK(message.header("Subject") == "=?utf-8?b?" + base64_encode("Aktivierung für Kaelen") + "?=");
  CHECK(message.header("Content-Type") == "text/plain; charset=utf-8");
  CHECK(message.header("Message-ID").ends_with("@example.org>"));
  CHECK(message.body() == "Line one\r\n.\r\n..two\r\nLast\r\n");
}

TEST_CASE("mail: connection failure names the server") {
  SmtpSink sink;
  auto settings = sink_settings(sink);
  sink.refuse_next(1);
  auto refused = send_mail(settings, {"pilot@example.org", "Subject", "Body"});
  REQUIRE(refused);
  CHECK(refused->find("smtp://127.0.0.1:" + std::to_string(sink.port())) != std::string::npos);
  CHECK(refused->find("554") != std::string::npos);

  sink.drop_next(1);
  CHECK(send_mail(settings, {"pilot@example.org", "Subject", "Body"}));
  CHECK(sink.messages().empty());
  CHECK_FALSE(send_mail(settings, {"pilot@example.org", "Subject", "Body"}));
  CHECK(sink.messages().size() == 1);

  // Nobody listening.
  settings.port = 9;
  CHECK(send_mail(settings, {"pilot@example.org", "Subject", "Body"}));
}

TEST_CASE("mail: AUTH and required STARTTLS") {
  SmtpSink sink("mailer", "right-password");
  auto settings = sink_settings(sink);
  settings.user = "mailer";
  settings.password = "wrong-password";
  auto wrong = send_mail(settings, {"pilot@example.org", "Subject", "Body"});
  REQUIRE(wrong);
  CHECK(wrong->find("wrong-password") == std::string::npos);
  settings.password = "right-password";
  CHECK_FALSE(send_mail(settings, {"pilot@example.org", "Subject", "Body"}));
  REQUIRE(sink.messages().size() == 1);
  CHECK(sink.messages().front().auth_user == "mailer");

  // STARTTLS required but not offered: nothing goes out in clear text.
  settings.use_tls = true;
  CHECK(send_mail(settings, {"pilot@example.org", "Subject", "Body"}));
  CHECK(sink.messages().size() == 1);
}

TEST_CASE("activation: keys hashed, single-use, expiring, replaceable") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    soci::session sql(database.db().pool());
    auto user_id = create_user(sql, {.username = "Kaelen_Brightwater"});
    begin_registration(sql, user_id);
    CHECK(registration_pending(sql, user_id));
    CHECK_FALSE(load_user(sql, user_id)->is_active);

    auto activation_id = set_registration_email(sql, user_id, "kaelen@example.org");
    CHECK(load_user(sql, user_id)->email == "kaelen@example.org");
    auto key = issue_activation_key(sql, activation_id, 3600);
    REQUIRE(key);
    std::string stored;
    sql << "SELECT key_hash FROM email_activations WHERE id = :id", soci::use(activation_id), soci::into(stored);
    CHECK(stored == sha256_hex(*key));
    CHECK(stored != *key);

    // Replaced by a newer key.
    auto newer = issue_activation_key(sql, activation_id, 3600);
    REQUIRE(newer);
    CHECK(check_activation_key(sql, *key).outcome == ActivationOutcome::unknown);

    // Expired.
    sql << "UPDATE email_activations SET expires_at = 1 WHERE id = :id", soci::use(activation_id);
    CHECK(use_activation_key(sql, *newer).outcome == ActivationOutcome::expired);
    CHECK_FALSE(load_user(sql, user_id)->is_active);

    // Used once.
    auto fresh = issue_activation_key(sql, activation_id, 3600);
    REQUIRE(fresh);
    auto used = use_activation_key(sql, *fresh);
    CHECK(used.outcome == ActivationOutcome::activated);
    CHECK(used.user_id == user_id);
    CHECK(load_user(sql, user_id)->is_active);
    CHECK(use_activation_key(sql, *fresh).outcome == ActivationOutcome::already_used);
    CHECK_FALSE(registration_pending(sql, user_id));
    CHECK_FALSE(issue_activation_key(sql, activation_id, 3600));

    // Malformed keys are unknown.
    for (const auto& bad : std::vector<std::string>{"", "'; DROP TABLE users; --", std::string(200, 'a')}) {
      CHECK(check_activation_key(sql, bad).outcome == ActivationOutcome::unknown);
    }

    // Addresses of active users are taken, without regard to case.
    CHECK(email_in_use(sql, "KAELEN@example.org", user_id + 1));
    CHECK_FALSE(email_in_use(sql, "kaelen@example.org", user_id));
  }
}
