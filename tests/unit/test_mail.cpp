// The SMTP mailer against the loopback sink (plain, STARTTLS and implicit
// TLS), email address checks, the activation mail limit, and the activation
// store (hashed single-use keys, expiry, replacement) on both
// databases.
#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "aa/db.hpp"
#include "auth/accounts.hpp"
#include "auth/activation_mail_limit.hpp"
#include "auth/crypto.hpp"
#include "auth/email_activation.hpp"
#include "db/database.hpp"
#include "mail/mailer.hpp"
#include "smtp_sink.hpp"
#include "test_support.hpp"

using namespace aa::core;
using aa::test::SmtpSink;
using aa::test::SmtpTls;

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

TEST_CASE("mail: TLS delivers to a trusted server") {
  aa::test::TempDir dir;
  auto certificate = aa::test::make_test_certificate(dir.path());
  for (auto mode : {SmtpTls::starttls, SmtpTls::implicit}) {
    CAPTURE(static_cast<int>(mode));
    SmtpSink sink(mode, certificate, "mailer", "tls-secret-password");
    auto settings = sink_settings(sink);
    settings.use_tls = mode == SmtpTls::starttls;
    settings.use_ssl = mode == SmtpTls::implicit;
    settings.ca_file = certificate.certificate_file.string();
    settings.user = "mailer";
    settings.password = "tls-secret-password";

    auto error = send_mail(settings, {"pilot@example.org", "Subject", "Body"});
    CHECK_MESSAGE(!error, error.value_or(""));
    REQUIRE(sink.messages().size() == 1);
    CHECK(sink.messages().front().over_tls);
    CHECK(sink.messages().front().auth_user == "mailer");
    CHECK(sink.messages().front().body() == "Body\r\n");
    CHECK(sink.failed_handshakes() == 0);
  }
}

TEST_CASE("mail: untrusted certificate names email.ca_file") {
  aa::test::TempDir served_dir;
  aa::test::TempDir other_dir;
  auto served = aa::test::make_test_certificate(served_dir.path());
  auto other = aa::test::make_test_certificate(other_dir.path());
  for (auto mode : {SmtpTls::starttls, SmtpTls::implicit}) {
    CAPTURE(static_cast<int>(mode));
    SmtpSink sink(mode, served, "mailer", "tls-secret-password");
    auto settings = sink_settings(sink);
    settings.use_tls = mode == SmtpTls::starttls;
    settings.use_ssl = mode == SmtpTls::implicit;
    settings.user = "mailer";
    settings.password = "tls-secret-password";

    // The system's CA certificates do not include a test certificate.
    auto untrusted = send_mail(settings, {"pilot@example.org", "Subject", "Body"});
    REQUIRE(untrusted);
    CHECK(untrusted->find("certificate") != std::string::npos);
    CHECK(untrusted->find("set email.ca_file") != std::string::npos);
    CHECK(untrusted->find("tls-secret-password") == std::string::npos);

    // A CA file that contains another certificate does not help.
    settings.ca_file = other.certificate_file.string();
    auto wrong_ca = send_mail(settings, {"pilot@example.org", "Subject", "Body"});
    REQUIRE(wrong_ca);
    CHECK(wrong_ca->find("email.ca_file (" + settings.ca_file + ")") != std::string::npos);
    CHECK(wrong_ca->find("tls-secret-password") == std::string::npos);

    CHECK(sink.messages().empty());
    // The sink counts a handshake on its own thread, after the client gave up.
    CHECK(aa::test::wait_until([&] { return sink.failed_handshakes() == 2; }, std::chrono::seconds(10)));
    CHECK(sink.failed_handshakes() == 2);
  }
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

TEST_CASE("activation mail limit: interval and daily cap") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    soci::session sql(database.db().pool());
    ActivationMailLimit limit{.interval_seconds = 300, .per_day = 3};
    const long long start = 1'700'000'000;

    CHECK_FALSE(reserve_activation_mail(sql, limit, "pilot@example.org", start));
    // Within the interval, in any case spelling; another address is free.
    auto wait = reserve_activation_mail(sql, limit, "PILOT@Example.org", start + 60);
    REQUIRE(wait);
    CHECK(*wait == 240);
    CHECK_FALSE(reserve_activation_mail(sql, limit, "other@example.org", start + 60));

    // After the interval, until the daily cap; then the oldest mail of the
    // day decides.
    CHECK_FALSE(reserve_activation_mail(sql, limit, "pilot@example.org", start + 300));
    CHECK_FALSE(reserve_activation_mail(sql, limit, "pilot@example.org", start + 600));
    auto capped = reserve_activation_mail(sql, limit, "pilot@example.org", start + 1200);
    REQUIRE(capped);
    CHECK(*capped == start + 86400 - (start + 1200));
    CHECK_FALSE(reserve_activation_mail(sql, limit, "pilot@example.org", start + 86400 + 1));

    // Refused requests are not recorded, and the pruning deletes records
    // older than a day.
    prune_activation_mail_sends(sql, start + 86400 + 1);
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM activation_mail_sends", soci::into(rows);
    CHECK(rows == 4);
    sql << "SELECT COUNT(*) FROM activation_mail_sends WHERE email = 'pilot@example.org'", soci::into(rows);
    CHECK(rows == 3);
  }
}

TEST_CASE("activation mail limit: one address at a time") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    ActivationMailLimit limit{.interval_seconds = 300, .per_day = 5};
    const long long now = 1'700'000'000;
    soci::session first(database.db().pool());
    soci::session second(database.db().pool());

    std::optional<aa::WriteTransaction> first_transaction(std::in_place, first);
    CHECK_FALSE(reserve_activation_mail(first, limit, "pilot@example.org", now));

    // A second request for the address while the first is not committed
    // waits for it, then finds its mail. The pause only gives the second
    // request time to reach the lock; the checks hold without it.
    std::optional<long long> second_wait;
    std::string second_error;
    std::thread other([&] {
      try {
        aa::WriteTransaction transaction(second);
        second_wait = reserve_activation_mail(second, limit, "Pilot@Example.org", now);
        transaction.commit();
      } catch (const std::exception& error) {
        second_error = error.what();
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    first_transaction->commit();
    other.join();
    CHECK(second_error.empty());
    REQUIRE(second_wait);
    CHECK(*second_wait == 300);

    long long rows = 0;
    first << "SELECT COUNT(*) FROM activation_mail_sends", soci::into(rows);
    CHECK(rows == 1);
  }
}

