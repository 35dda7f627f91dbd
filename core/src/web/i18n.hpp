// Translations: gettext catalogs (.mo, compiled from the .po files that
// translators edit) read through Boost.Locale, one domain for core and one
// per plugin.
#pragma once

#include <filesystem>
#include <locale>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aa::core {

/// A language the UI can be shown in.
struct Language {
  std::string code;       ///< As upstream names it: "en", "de", "zh-hans".
  std::string locale_id;  ///< The catalog directory and locale: "de_DE", "zh_CN".
  std::string name;       ///< The language's own name for the picker, e.g. "Deutsch".
};

/// Marks `msgid` for scripts/i18n/extract and returns it unchanged, for ids
/// that code stores and translates later (GNU gettext and Django call it
/// gettext_noop too).
constexpr const char* gettext_noop(const char* msgid) { return msgid; }

/// Every language upstream ships. The config's `languages` picks which are offered.
const std::vector<Language>& known_languages();

class Translator {
 public:
  /// `codes` are the offered language codes; the first unknown one throws
  /// std::invalid_argument naming it.
  Translator(const std::vector<std::string>& codes, std::string default_code);

  /// Adds a catalog domain ("allianceauth", "timerboard") whose .mo files
  /// live in `locale_dir`/<locale_id>/LC_MESSAGES/<domain>.mo. Call before load().
  void add_domain(std::string domain, std::filesystem::path locale_dir);
  /// Builds the locales. A missing catalog is not an error: the text stays English.
  void load();

  /// Translates `msgid` from any domain, core first; returns it unchanged
  /// when no catalog has it.
  std::string translate(std::string_view language, std::string_view msgid) const;

  /// The best offered language for an Accept-Language header value.
  std::string negotiate(std::string_view accept_language) const;
  bool offers(std::string_view code) const;
  const std::vector<Language>& offered() const { return offered_; }
  const std::string& default_language() const { return default_; }

 private:
  std::vector<Language> offered_;
  std::string default_;
  std::vector<std::string> domains_;
  std::vector<std::filesystem::path> paths_;
  std::map<std::string, std::locale, std::less<>> locales_;
};

}  // namespace aa::core
