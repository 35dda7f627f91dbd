// Registration with email verification over HTTP, with the mail going to
// the SMTP sink: the email form and its bad input, the activation link
// (single use, expiring, replaced by a newer one), login refused until the
// account is active, sends that fail being retried or asked for again, the
// limit on mails per address, and mail over STARTTLS and implicit TLS.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <latch>
#include <memory>
#include <regex>
#include <thread>

#include "aa/text.hpp"
#include "auth/crypto.hpp"
#include "harness.hpp"
#include "smtp_sink.hpp"
#include "test_certificate.hpp"

using namespace aa::test;
using namespace std::chrono_literals;

namespace {

constexpr long long kKarmaFleetPilot = 2112000001;
constexpr long long kOmicronPilot = 2112000002;

std::string registration_yaml(const SmtpSink& sink, int retries = 3) {
  return "registration:\n  verify_email: true\n  activation_days: 2\n"
         "email:\n  host: 127.0.0.1\n  port: " +
         std::to_string(sink.port()) +
         "\n  use_tls: false\n  from: \"Alliance Auth <auth@example.org>\"\n  retries: " + std::to_string(retries) +
         "\n  retry_pause_seconds: 0\n  timeout_seconds: 5\n"
         "tasks:\n  poll_interval_ms: 100\n";
}

// Moves every recorded activation mail 10 minutes into the past, so the
// next one to the same address is past the 5 minute interval.
void age_activation_mails(Daemon& daemon) {
  daemon.db() << "UPDATE activation_mail_sends SET sent_at = sent_at - 600";
}

// The path of the activation link in a mail body.
std::string activation_path(const SmtpMessage& message) {
  std::smatch match;
  auto body = message.body();
  REQUIRE(std::regex_search(body, match, std::regex(R"((/account/activate/[A-Za-z0-9_-]+/))")));
  return match[1];
}

}  // namespace

TEST_CASE("registration: bad email saves nothing") {
  Emulator emulator;
  SmtpSink sink;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, registration_yaml(sink));
    Browser browser(daemon.base_url());
    auto callback = sso_flow(browser, kKarmaFleetPilot);
    REQUIRE(callback.status == 302);
    CHECK(callback.location() == "/account/register/");
    auto user_id = user_of(daemon.db(), kKarmaFleetPilot);
    CHECK(query_int(daemon.db(), "SELECT is_active FROM users WHERE id = :id", user_id) == 0);

    auto form = browser.get("/account/register/");
    REQUIRE(form.status == 200);
    CHECK(contains(form.body, "name=\"email\""));

    // An address another active user has is taken, whatever its case.
    daemon.db() << "INSERT INTO users (username, password, email, is_active, is_staff, is_superuser, date_joined) "
                   "VALUES ('someone', '', 'Taken@Example.org', 1, 0, 0, 0)";

    struct Case {
      std::string value;
      std::string error;
    };
    const std::vector<Case> cases{
        {"", "This field is required."},
        {"   ", "This field is required."},
        {std::string(250, 'a') + "@example.org", "Ensure this value has at most 254 characters (it has 262)."},
        {"not-an-address", "Enter a valid email address."},
        {"pilot@example.org\r\nBcc: victim@example.net", "Enter a valid email address."},
        {"<script>alert(1)</script>@example.org", "Enter a valid email address."},
        {"pilot@@example.org", "Enter a valid email address."},
        {"pilot@localhost", "Enter a valid email address."},
        {"taken@example.ORG", "This email address is already in use."},
    };
    for (const auto& bad : cases) {
      CAPTURE(bad.value);
      auto answer = browser.post("/account/register/", {{"email", bad.value}});
      CHECK(answer.status == 400);
      CHECK(contains(answer.body, "is-invalid"));
      CHECK(contains(answer.body, bad.error));
      CHECK_FALSE(contains(answer.body, "<script>alert(1)"));
    }
    CHECK(query_text(daemon.db(), "SELECT email FROM users WHERE id = :id", user_id).empty());
    CHECK(query_text(daemon.db(), "SELECT email FROM email_activations WHERE user_id = :id", user_id).empty());
    CHECK(query_int(daemon.db(),
                    "SELECT COUNT(*) FROM task_queue WHERE id > :id AND task_name LIKE '%send_activation_email'",
                    0) == 0);
    CHECK(sink.messages().empty());

    // Without CSRF nothing is saved either.
    CHECK(browser.post("/account/register/", {{"email", "pilot@example.org"}}, false).status == 403);
    CHECK(query_text(daemon.db(), "SELECT email FROM users WHERE id = :id", user_id).empty());
  }
}

TEST_CASE("registration: emailed link activates once") {
  Emulator emulator;
  SmtpSink sink;
  std::size_t mails = 0;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    Daemon daemon(backend, emulator, registration_yaml(sink));
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
    auto user_id = user_of(daemon.db(), kKarmaFleetPilot);

    // Not logged in while inactive.
    auto dashboard = browser.get("/dashboard/");
    CHECK(dashboard.status == 302);
    CHECK(contains(dashboard.location(), "/account/login/"));

    browser.get("/account/register/");
    auto sent = browser.post("/account/register/", {{"email", " Pilot@Example.org "}});
    REQUIRE(sent.status == 302);
    CHECK(sent.location() == "/account/register/complete/");
    auto complete = browser.get(sent.location());
    CHECK(contains(complete.body, "We are sending an activation link to Pilot@Example.org."));
    CHECK(contains(complete.body, "The link stays valid for 2 days."));
    CHECK(query_text(daemon.db(), "SELECT email FROM users WHERE id = :id", user_id) == "Pilot@Example.org");

    REQUIRE(sink.wait_for(++mails, 30s));
    auto mail = sink.messages().back();
    CHECK(mail.recipients == std::vector<std::string>{"Pilot@Example.org"});
    CHECK(mail.mail_from == "auth@example.org");
    CHECK(mail.header("To") == "Pilot@Example.org");
    CHECK(mail.header("From") == "Alliance Auth <auth@example.org>");
    CHECK(mail.header("Subject") == "Activate your Alliance Auth account");
    CHECK(contains(mail.body(), "Kaelen_Brightwater"));
    CHECK(contains(mail.body(), "within 2 days"));
    auto path = activation_path(mail);

    // Only the hash of the key is stored.
    auto key = path.substr(std::string("/account/activate/").size());
    key.pop_back();
    CHECK(query_text(daemon.db(), "SELECT key_hash FROM email_activations WHERE user_id = :id", user_id) ==
          aa::core::sha256_hex(key));
    long long raw_key_rows = 0;
    daemon.db() << "SELECT COUNT(*) FROM email_activations WHERE key_hash = :key", soci::use(key),
        soci::into(raw_key_rows);
    CHECK(raw_key_rows == 0);

    // Opening the link shows a button and uses nothing.
    Browser mail_reader(daemon.base_url());
    auto opened = mail_reader.get(path);
    REQUIRE(opened.status == 200);
    CHECK(contains(opened.body, "id=\"aa-activate\""));
    CHECK(query_int(daemon.db(), "SELECT is_active FROM users WHERE id = :id", user_id) == 0);
    CHECK(mail_reader.post(path, {}, false).status == 403);
    CHECK(query_int(daemon.db(), "SELECT is_active FROM users WHERE id = :id", user_id) == 0);

    auto activated = mail_reader.post(path, {});
    REQUIRE(activated.status == 302);
    CHECK(activated.location() == "/account/activate/complete/");
    CHECK(contains(mail_reader.get(activated.location()).body, "id=\"aa-activation-complete\""));
    CHECK(query_int(daemon.db(), "SELECT is_active FROM users WHERE id = :id", user_id) == 1);

    // A second use gets a clear page and changes nothing.
    auto reused = mail_reader.get(path);
    CHECK(reused.status == 400);
    CHECK(contains(reused.body, "This activation link was already used"));
    CHECK(mail_reader.post(path, {}).status == 400);

    // Unknown and malformed keys.
    auto unknown = mail_reader.get("/account/activate/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/");
    CHECK(unknown.status == 400);
    CHECK(contains(unknown.body, "This activation link is not valid"));
    CHECK(mail_reader.get("/account/activate/%3Cscript%3E/").status == 400);
    CHECK(mail_reader.get("/account/activate/" + std::string(500, 'x') + "/").status == 400);

    // Now the login goes to the dashboard.
    Browser later(daemon.base_url());
    auto login = sso_flow(later, kKarmaFleetPilot);
    CHECK(login.status == 302);
    CHECK(login.location() == "/dashboard/");
    CHECK(later.get("/dashboard/").status == 200);

    // The registration page is gone for an active user.
    auto again = later.get("/account/register/");
    CHECK(again.status == 302);
  }
}

TEST_CASE("registration: expired or replaced link") {
  Emulator emulator;
  SmtpSink sink;
  Daemon daemon("sqlite3", emulator, registration_yaml(sink));
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kOmicronPilot).status == 302);
  auto user_id = user_of(daemon.db(), kOmicronPilot);
  browser.get("/account/register/");
  REQUIRE(browser.post("/account/register/", {{"email", "tovin@example.org"}}).status == 302);
  REQUIRE(sink.wait_for(1, 30s));
  auto first = activation_path(sink.messages().back());

  daemon.db() << "UPDATE email_activations SET expires_at = 1000 WHERE user_id = :id", soci::use(user_id);
  auto expired = browser.get(first);
  CHECK(expired.status == 410);
  CHECK(contains(expired.body, "This activation link has expired"));
  CHECK(browser.post(first, {}).status == 410);
  CHECK(query_int(daemon.db(), "SELECT is_active FROM users WHERE id = :id", user_id) == 0);

  // Logging in again leads back to the form, with the address filled in.
  Browser again(daemon.base_url());
  auto callback = sso_flow(again, kOmicronPilot);
  CHECK(callback.location() == "/account/register/");
  auto form = again.get("/account/register/");
  CHECK(contains(form.body, "value=\"tovin@example.org\""));
  CHECK(contains(form.body, "Your email address is not verified yet."));
  age_activation_mails(daemon);
  REQUIRE(again.post("/account/register/", {{"email", "tovin@example.org"}}).status == 302);
  REQUIRE(sink.wait_for(2, 30s));
  auto second = activation_path(sink.messages().back());
  CHECK(second != first);

  // The old link was replaced.
  auto replaced = again.get(first);
  CHECK(replaced.status == 400);
  CHECK(contains(replaced.body, "This activation link is not valid"));
  again.get(second);
  CHECK(again.post(second, {}).status == 302);
  CHECK(query_int(daemon.db(), "SELECT is_active FROM users WHERE id = :id", user_id) == 1);
}

TEST_CASE("registration: failed send retried, link resent") {
  Emulator emulator;
  SmtpSink sink;
  Daemon daemon("sqlite3", emulator, registration_yaml(sink, 2));
  daemon.db() << "INSERT INTO users (username, password, email, is_active, is_staff, is_superuser, date_joined) "
                 "VALUES ('admin', '', 'admin@example.org', 1, 1, 1, 0)";
  auto admin_id = query_int(daemon.db(), "SELECT id FROM users WHERE username = 'admin' AND id > :id", 0);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);

  // The first attempt is refused and the second dropped mid-conversation;
  // the third goes through.
  sink.refuse_next(1);
  sink.drop_next(1);
  browser.get("/account/register/");
  REQUIRE(browser.post("/account/register/", {{"email", "kaelen@example.org"}}).status == 302);
  REQUIRE(sink.wait_for(1, 30s));
  CHECK(sink.connections() == 3);
  auto path = activation_path(sink.messages().back());

  // When every attempt fails the superusers get a notification, and the user
  // sends a new link from the page once the mail server is back.
  sink.refuse_next(3);
  auto complete = browser.get("/account/register/complete/");
  CHECK(contains(complete.body, "We are sending an activation link to kaelen@example.org."));
  REQUIRE(contains(complete.body, "Send a new link"));
  age_activation_mails(daemon);
  REQUIRE(browser.post("/account/register/", {{"email", "kaelen@example.org"}}).status == 302);
  CHECK(wait_until([&] { return sink.connections() == 6; }, 30s));
  const std::string failure_notices =
      "SELECT COUNT(*) FROM notifications WHERE user_id = :id AND level = 'danger' AND title = "
      "'Task allianceauth.authentication.tasks.send_activation_email failed'";
  CHECK(wait_until([&] { return query_int(daemon.db(), failure_notices, admin_id) == 1; }, 30s));
  CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM notifications WHERE user_id = :id AND message LIKE "
                               "'%failed and will not run again%'",
                  admin_id) == 1);
  CHECK(sink.messages().size() == 1);
  age_activation_mails(daemon);
  REQUIRE(browser.post("/account/register/", {{"email", "kaelen@example.org"}}).status == 302);
  REQUIRE(sink.wait_for(2, 30s));
  auto newest = activation_path(sink.messages().back());
  CHECK(newest != path);
  browser.get(newest);
  CHECK(browser.post(newest, {}).status == 302);
}

TEST_CASE("registration: form needs the SSO session") {
  Emulator emulator;
  SmtpSink sink;
  Daemon daemon("sqlite3", emulator, registration_yaml(sink));
  Browser registering(daemon.base_url());
  REQUIRE(sso_flow(registering, kKarmaFleetPilot).status == 302);
  auto user_id = user_of(daemon.db(), kKarmaFleetPilot);

  Browser stranger(daemon.base_url());
  auto page = stranger.get("/account/register/");
  CHECK(page.status == 302);
  CHECK(contains(page.location(), "/account/login/"));
  CHECK(contains(stranger.get(page.location()).body, "Registration token has expired."));
  stranger.get("/account/login/");
  auto post = stranger.post("/account/register/", {{"email", "evil@example.org"}});
  CHECK(post.status == 302);
  CHECK(query_text(daemon.db(), "SELECT email FROM users WHERE id = :id", user_id).empty());

  // An admin-disabled account is refused at login, not sent to registration.
  Browser other(daemon.base_url());
  REQUIRE(sso_flow(other, kOmicronPilot).status == 302);
  auto other_id = user_of(daemon.db(), kOmicronPilot);
  daemon.db() << "DELETE FROM email_activations WHERE user_id = :id", soci::use(other_id);
  Browser retry(daemon.base_url());
  auto refused = sso_flow(retry, kOmicronPilot);
  CHECK(refused.location() == "/account/login/");
  CHECK(contains(retry.get("/account/login/").body, "the account is disabled"));
  CHECK(sink.messages().empty());
}

TEST_CASE("registration: mails per address are limited") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    SmtpSink sink;
    std::size_t mails = 0;
    Daemon daemon(backend, emulator, registration_yaml(sink));
    Browser first(daemon.base_url());
    REQUIRE(sso_flow(first, kKarmaFleetPilot).status == 302);
    auto first_id = user_of(daemon.db(), kKarmaFleetPilot);
    Browser second(daemon.base_url());
    REQUIRE(sso_flow(second, kOmicronPilot).status == 302);
    auto second_id = user_of(daemon.db(), kOmicronPilot);
    const std::string limit_text =
        "No new link was sent, because one address gets at most one activation mail every 5 minutes and 5 in 24 hours.";

    first.get("/account/register/");
    REQUIRE(first.post("/account/register/", {{"email", "target@example.org"}}).status == 302);
    REQUIRE(sink.wait_for(++mails, 30s));

    // A second request at once, from the same user or from another one and
    // in any case, gets the same response, and nothing is saved or queued.
    auto queued = query_int(daemon.db(), "SELECT COUNT(*) FROM task_queue WHERE id > :id AND task_name LIKE "
                                 "'%send_activation_email'", 0);
    first.get("/account/register/complete/");
    auto repeated = first.post("/account/register/", {{"email", "target@example.org"}});
    CHECK(repeated.status == 429);
    CHECK(contains(repeated.body, limit_text));
    CHECK(contains(repeated.body, "is-invalid"));
    second.get("/account/register/");
    auto other_user = second.post("/account/register/", {{"email", "TARGET@example.org"}});
    CHECK(other_user.status == 429);
    CHECK(contains(other_user.body, limit_text));
    CHECK(query_text(daemon.db(), "SELECT email FROM users WHERE id = :id", second_id).empty());
    CHECK(query_int(daemon.db(), "SELECT COUNT(*) FROM task_queue WHERE id > :id AND task_name LIKE "
                         "'%send_activation_email'", 0) <= queued);

    // Another address is not held back.
    REQUIRE(second.post("/account/register/", {{"email", "second@example.org"}}).status == 302);
    REQUIRE(sink.wait_for(++mails, 30s));

    // Past the interval four more go out. Then the daily cap applies even
    // after the interval.
    for (int sent = 1; sent < 5; ++sent) {
      CAPTURE(sent);
      age_activation_mails(daemon);
      first.get("/account/register/");
      REQUIRE(first.post("/account/register/", {{"email", "target@example.org"}}).status == 302);
      REQUIRE(sink.wait_for(++mails, 30s));
    }
    age_activation_mails(daemon);
    auto capped = first.post("/account/register/", {{"email", "target@example.org"}});
    CHECK(capped.status == 429);
    CHECK(contains(capped.body, limit_text));

    // Every mail that went out is one the limit allowed: five to the
    // target, one to the other address.
    std::size_t to_target = 0;
    for (const auto& message : sink.messages()) {
      if (message.recipients == std::vector<std::string>{"target@example.org"}) ++to_target;
    }
    CHECK(to_target == 5);
    CHECK(sink.messages().size() == 6);
    CHECK(query_text(daemon.db(), "SELECT email FROM users WHERE id = :id", first_id) == "target@example.org");
  }
}

TEST_CASE("registration: concurrent requests keep the limit") {
  Emulator emulator;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    SmtpSink sink;
    Daemon daemon(backend, emulator, registration_yaml(sink));
    const std::string limit_text = "No new link was sent, because one address gets at most one activation mail";

    // Eight sessions for each of two registering users.
    std::vector<std::unique_ptr<Browser>> browsers;
    for (long long character : {kKarmaFleetPilot, kOmicronPilot}) {
      for (int session = 0; session < 8; ++session) {
        auto browser = std::make_unique<Browser>(daemon.base_url());
        REQUIRE(sso_flow(*browser, character).status == 302);
        REQUIRE(browser->get("/account/register/").status == 200);
        browsers.push_back(std::move(browser));
      }
    }

    // Each round every session requests a link to one new address at the
    // same moment, in either case. The 5 minute interval allows one mail.
    const int rounds = 3;
    for (int round = 0; round < rounds; ++round) {
      CAPTURE(round);
      const std::string address = "race" + std::to_string(round) + "@example.org";
      std::vector<HttpResponse> responses(browsers.size());
      std::latch start(static_cast<std::ptrdiff_t>(browsers.size()));
      std::vector<std::thread> threads;
      for (std::size_t i = 0; i < browsers.size(); ++i) {
        threads.emplace_back([&, i] {
          auto typed = i % 2 == 0 ? address : "RACE" + std::to_string(round) + "@example.org";
          start.arrive_and_wait();
          responses[i] = browsers[i]->post("/account/register/", {{"email", typed}});
        });
      }
      for (auto& thread : threads) thread.join();

      int accepted = 0;
      for (std::size_t i = 0; i < responses.size(); ++i) {
        CAPTURE(i);
        CAPTURE(responses[i].status);
        if (responses[i].status == 302) {
          ++accepted;
          CHECK(responses[i].location() == "/account/register/complete/");
        } else {
          CHECK(responses[i].status == 429);
          CHECK(contains(responses[i].body, limit_text));
        }
      }
      CHECK(accepted == 1);
    }

    // Every queued mail went out, and only one per address.
    const std::string queued_mails = "SELECT COUNT(*) FROM task_queue WHERE id > :id AND task_name LIKE "
                                     "'%send_activation_email'";
    REQUIRE(sink.wait_for(rounds, 30s));
    CHECK(wait_until([&] { return query_int(daemon.db(), queued_mails, 0) == 0; }, 30s));
    auto messages = sink.messages();
    CHECK(messages.size() == static_cast<std::size_t>(rounds));
    for (int round = 0; round < rounds; ++round) {
      CAPTURE(round);
      auto to_address = std::count_if(messages.begin(), messages.end(), [&](const SmtpMessage& message) {
        return message.recipients.size() == 1 &&
               aa::text::fold_case(message.recipients.front()) == "race" + std::to_string(round) + "@example.org";
      });
      CHECK(to_address == 1);
    }
  }
}

namespace {

std::string tls_registration_yaml(const SmtpSink& sink, SmtpTls mode, const std::string& ca_file) {
  std::string yaml = "registration:\n  verify_email: true\n"
                     "email:\n  host: 127.0.0.1\n  port: " +
                     std::to_string(sink.port()) + "\n  use_tls: " + (mode == SmtpTls::starttls ? "true" : "false") +
                     "\n  use_ssl: " + (mode == SmtpTls::implicit ? "true" : "false") +
                     "\n  host_user: mailer\n  host_password: daemon-smtp-password\n"
                     "  from: \"Alliance Auth <auth@example.org>\"\n  retries: 0\n  timeout_seconds: 5\n"
                     "  ca_file: \"" + ca_file + "\"\n"
                     "tasks:\n  poll_interval_ms: 100\n";
  return yaml;
}

}  // namespace

TEST_CASE("registration: mail over TLS needs a trusted certificate") {
  Emulator emulator;
  TempDir dir;
  auto certificate = make_test_certificate(dir.path());

  for (auto mode : {SmtpTls::starttls, SmtpTls::implicit}) {
    CAPTURE(static_cast<int>(mode));
    SmtpSink sink(mode, certificate, "mailer", "daemon-smtp-password");
    Daemon daemon("sqlite3", emulator, tls_registration_yaml(sink, mode, certificate.certificate_file.string()));
    Browser browser(daemon.base_url());
    REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
    browser.get("/account/register/");
    REQUIRE(browser.post("/account/register/", {{"email", "pilot@example.org"}}).status == 302);
    REQUIRE(sink.wait_for(1, 30s));
    CHECK(sink.messages().front().over_tls);
    CHECK(sink.messages().front().auth_user == "mailer");
    CHECK_FALSE(contains(daemon.log(), "daemon-smtp-password"));
  }

  // Without email.ca_file the test certificate is not trusted, so the task
  // fails with a log line that names the setting, and nothing is sent.
  SmtpSink sink(SmtpTls::starttls, certificate, "mailer", "daemon-smtp-password");
  Daemon daemon("sqlite3", emulator, tls_registration_yaml(sink, SmtpTls::starttls, ""));
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, kKarmaFleetPilot).status == 302);
  browser.get("/account/register/");
  REQUIRE(browser.post("/account/register/", {{"email", "pilot@example.org"}}).status == 302);
  CHECK(wait_until([&] { return contains(daemon.log(), "giving up"); }, 30s));
  auto log = daemon.log();
  INFO(log);
  CHECK(contains(log, "the server's certificate was rejected"));
  CHECK(contains(log, "set email.ca_file"));
  CHECK_FALSE(contains(log, "daemon-smtp-password"));
  CHECK(sink.messages().empty());
  CHECK(wait_until([&] { return sink.failed_handshakes() >= 1; }, 10s));
}
