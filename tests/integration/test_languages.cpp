// The UI language: from the browser's Accept-Language, from the language
// picker for visitors, and from the profile for logged-in users.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace aa::test;

TEST_CASE("languages: the browser's language is used until one is picked") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());

  auto german = browser.get("/account/login/", {"Accept-Language: de-DE,de;q=0.9,en;q=0.5"});
  CHECK(german.body.find("<html lang=\"de\"") != std::string::npos);
  CHECK(german.body.find("Mit EVE Online anmelden") != std::string::npos);

  auto chinese = browser.get("/account/login/", {"Accept-Language: zh-CN"});
  CHECK(chinese.body.find("<html lang=\"zh-hans\"") != std::string::npos);

  auto picked = browser.post("/i18n/setlang/", {{"language", "es"}, {"next", "/account/login/"}});
  CHECK(picked.status == 302);
  CHECK(picked.location() == "/account/login/");
  auto spanish = browser.get("/account/login/", {"Accept-Language: de"});
  CHECK(spanish.body.find("<html lang=\"es\"") != std::string::npos);

  auto unknown = browser.post("/i18n/setlang/", {{"language", "xx"}, {"next", "/"}});
  CHECK(unknown.status == 400);
  auto offsite = browser.post("/i18n/setlang/", {{"language", "de"}, {"next", "https://evil.example/"}});
  CHECK(offsite.status == 302);
  CHECK(offsite.location() == "/");
}

TEST_CASE("languages: a logged-in user's choice is stored in the profile") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator);
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, 2112000001).status == 302);
  browser.get("/dashboard/");
  CHECK(browser.post("/i18n/setlang/", {{"language", "de"}, {"next", "/dashboard/"}}).status == 302);
  std::string language;
  daemon.db() << "SELECT language FROM user_profiles", soci::into(language);
  CHECK(language == "de");

  // A new session of the same user starts in German whatever the browser says.
  Browser other(daemon.base_url());
  REQUIRE(sso_flow(other, 2112000001).status == 302);
  auto dashboard = other.get("/dashboard/", {"Accept-Language: en"});
  CHECK(dashboard.body.find("<html lang=\"de\"") != std::string::npos);
}
