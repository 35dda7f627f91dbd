// Translator tests against the core catalogs that the build compiles from
// core/locale into <build>/share/allianceauth/locale, plus language
// negotiation from Accept-Language.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_support.hpp"
#include "web/i18n.hpp"
#include "web/templates.hpp"

using namespace aa::core;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kShippedLanguages{"en", "de", "es", "zh-hans"};

fs::path core_locale_dir() { return aa::test::bin_dir() / ".." / "share" / "allianceauth" / "locale"; }

Translator core_translator(const std::vector<std::string>& codes = kShippedLanguages, std::string default_code = "en") {
  Translator translator(codes, std::move(default_code));
  translator.add_domain("allianceauth", core_locale_dir());
  translator.load();
  return translator;
}

// Writes `po_text` as <locale_dir>/<locale_id>/LC_MESSAGES/<domain>.mo with msgfmt.
void compile_catalog(const fs::path& locale_dir, const std::string& locale_id, const std::string& domain,
                     const std::string& po_text) {
  auto dir = locale_dir / locale_id / "LC_MESSAGES";
  fs::create_directories(dir);
  auto po = dir / (domain + ".po");
  std::ofstream(po) << po_text;
  auto command = "msgfmt --check -o '" + (dir / (domain + ".mo")).string() + "' '" + po.string() + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("compiling a test catalog failed: " + command);
}

}  // namespace

TEST_CASE("core catalogs are built") {
  for (const auto* locale_id : {"de_DE", "es_ES", "zh_CN"}) {
    CAPTURE(locale_id);
    CHECK(fs::is_regular_file(core_locale_dir() / locale_id / "LC_MESSAGES" / "allianceauth.mo"));
  }
}

TEST_CASE("translate core messages in each language") {
  auto translator = core_translator();

  CHECK(translator.translate("de", "Log out") == "Abmelden");
  CHECK(translator.translate("de", "Page not found") == "Seite nicht gefunden");
  CHECK(translator.translate("de", "Main Character") == "Hauptcharakter");

  CHECK(translator.translate("es", "Log out") == "Cerrar sesión");
  CHECK(translator.translate("es", "Page not found") == "Página no encontrada");
  CHECK(translator.translate("es", "Main Character") == "Personaje principal");

  CHECK(translator.translate("zh-hans", "Log out") == "退出登录");
  CHECK(translator.translate("zh-hans", "Page not found") == "页面未找到");
  CHECK(translator.translate("zh-hans", "Main Character") == "主角色");
}

TEST_CASE("translate keeps placeholders") {
  auto translator = core_translator();
  const std::string msgid = "Changed main character to {name}.";
  CHECK(translator.translate("de", msgid) == "Dein Hauptcharakter ist jetzt {name}.");
  CHECK(translator.translate("es", msgid) == "Tu personaje principal ahora es {name}.");
  CHECK(translator.translate("zh-hans", msgid) == "主角色已更改为 {name}。");
}

TEST_CASE("translate message ids marked with gettext_noop") {
  // Ids that code stores and a view translates later must be in the catalogs too.
  auto translator = core_translator();
  CHECK(translator.translate("de", gettext_noop("You do not own that character.")) ==
        "Dieser Charakter gehört dir nicht.");
  CHECK(translator.translate("es", gettext_noop("The EVE SSO login was cancelled or refused.")) ==
        "El inicio de sesión con EVE SSO se ha cancelado o ha sido rechazado.");
  CHECK(translator.translate("zh-hans", gettext_noop("Dashboard")) == "仪表板");
}

TEST_CASE("translate leaves unknown and English text alone") {
  auto translator = core_translator();
  for (const auto& language : kShippedLanguages) {
    CAPTURE(language);
    CHECK(translator.translate(language, "No catalog has this text") == "No catalog has this text");
  }
  CHECK(translator.translate("en", "Log out") == "Log out");
  // A language that is not offered falls back to the message id, not to another language.
  CHECK(translator.translate("fr", "Log out") == "Log out");
  CHECK(translator.translate("", "Log out") == "Log out");
}

TEST_CASE("translate returns empty text for an empty id") {
  // gettext keeps the catalog header under the empty msgid, and it must not leak into a page.
  auto translator = core_translator();
  for (const auto& language : kShippedLanguages) {
    CAPTURE(language);
    CHECK(translator.translate(language, "") == "");
  }
}

TEST_CASE("translate without catalogs stays English") {
  aa::test::TempDir empty;
  Translator translator({"en", "de"}, "en");
  translator.add_domain("allianceauth", empty.path() / "locale");
  translator.load();
  CHECK(translator.translate("de", "Log out") == "Log out");
}

TEST_CASE("translate falls back from core to a plugin domain") {
  aa::test::TempDir plugin;
  compile_catalog(plugin.path() / "locale", "de_DE", "timerboard",
                  "msgid \"\"\nmsgstr \"\"\n"
                  "\"Project-Id-Version: timerboard\\n\"\n"
                  "\"PO-Revision-Date: 2026-01-01 00:00+0000\\n\"\n"
                  "\"Last-Translator: test\\n\"\n"
                  "\"Language-Team: German\\n\"\n"
                  "\"Language: de\\n\"\n"
                  "\"MIME-Version: 1.0\\n\"\n"
                  "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
                  "\"Content-Transfer-Encoding: 8bit\\n\"\n"
                  "\"Plural-Forms: nplurals=2; plural=(n != 1);\\n\"\n\n"
                  "msgid \"Structure Timers\"\nmsgstr \"Strukturtimer\"\n\n"
                  "msgid \"Log out\"\nmsgstr \"Plugin-Abmeldung\"\n");
  Translator translator({"en", "de"}, "en");
  translator.add_domain("allianceauth", core_locale_dir());
  translator.add_domain("timerboard", plugin.path() / "locale");
  translator.load();

  CHECK(translator.translate("de", "Structure Timers") == "Strukturtimer");
  // Core is asked first, so a plugin cannot change core's wording.
  CHECK(translator.translate("de", "Log out") == "Abmelden");
}

TEST_CASE("translator rejects an unknown language code") {
  CHECK_THROWS_AS(Translator({"en", "xx"}, "en"), std::invalid_argument);
}

TEST_CASE("templates render trans tags in the request language") {
  auto translator = core_translator();
  TemplateEngine engine({aa::test::source_dir() / "templates"}, translator);
  aa::TemplateData data;

  auto german = engine.render("de", "allianceauth/login.html", data);
  CHECK(german.find("Mit EVE Online anmelden") != std::string::npos);
  CHECK(german.find("Log in with EVE Online") == std::string::npos);

  auto chinese = engine.render("zh-hans", "allianceauth/login.html", data);
  CHECK(chinese.find("使用 EVE Online 登录") != std::string::npos);

  auto english = engine.render("en", "allianceauth/login.html", data);
  CHECK(english.find("Log in with EVE Online") != std::string::npos);
}

TEST_CASE("negotiate picks the language from Accept-Language") {
  auto translator = core_translator();
  struct Case {
    std::string header;
    std::string expected;
  };
  const Case cases[] = {
      {"de", "de"},
      {"es", "es"},
      {"en", "en"},
      {"de-DE,de;q=0.9,en;q=0.8", "de"},
      {"en;q=0.5, es;q=0.9", "es"},
      {"en-US,en;q=0.9,de;q=0.8", "en"},
      {"fr-FR,fr;q=0.9,es;q=0.5", "es"},  // fr is known but not offered here
      {"es, de", "es"},                   // equal q: the first one wins
      {"es-419", "es"},
      {"DE-de", "de"},
      {" de ; q=0.7 , es ; q=0.6", "de"},
      {"de;level=1;q=0.4, es;q=0.5", "es"},
      {"de;Q=0.1, es;q=0.5", "es"},
      // Chinese: Simplified for mainland and plain tags, never for Traditional ones.
      {"zh-CN", "zh-hans"},
      {"zh-cn,zh;q=0.9", "zh-hans"},
      {"zh", "zh-hans"},
      {"zh-Hans-CN", "zh-hans"},
      {"zh-SG", "zh-hans"},
      {"zh-TW", "en"},
      {"zh-HK", "en"},
      {"zh-Hant", "en"},
      {"zh-MO", "en"},
      {"zha", "en"},  // Zhuang, not Chinese
      {"zh-Hant-TW,zh;q=0.5", "zh-hans"},
      {"zh-TW,de;q=0.3", "de"},
  };
  for (const auto& test : cases) {
    CAPTURE(test.header);
    CHECK(translator.negotiate(test.header) == test.expected);
  }
}

TEST_CASE("negotiate ignores refused and malformed entries") {
  auto translator = core_translator();
  struct Case {
    std::string header;
    std::string expected;
  };
  const Case cases[] = {
      {"", "en"},
      {"*", "en"},
      {"de;q=0", "en"},                 // q=0 means "not acceptable"
      {"de;q=0.0, es;q=0.1", "es"},
      {"de;q=abc", "en"},
      {"de;q=, es;q=0.2", "es"},
      {"de;q=-1", "en"},
      {"de;q=2, es", "es"},             // q above 1 is invalid
      {"de;q=0.5x, es;q=0.1", "es"},
      {";;;,,,q=", "en"},
      {",,de,,", "de"},
      {"\x01\x02\xff", "en"},
      {"klingon, tlh-KX;q=0.9", "en"},
  };
  for (const auto& test : cases) {
    CAPTURE(test.header);
    CHECK(translator.negotiate(test.header) == test.expected);
  }
}

TEST_CASE("negotiate falls back to the configured default") {
  auto translator = core_translator({"en", "de"}, "de");
  CHECK(translator.negotiate("") == "de");
  CHECK(translator.negotiate("es") == "de");  // es is not offered on this site
  CHECK(translator.negotiate("en") == "en");
}
