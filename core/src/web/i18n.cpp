#include "web/i18n.hpp"

#include <boost/locale/generator.hpp>
#include <boost/locale/message.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace aa::core {
namespace {

// Returns the q value in the parameters of one Accept-Language entry
// ("q=0.8" or "level=1;q=0.8"). It is 1 without a q parameter and nothing
// when q is not a number in [0, 1]. std::from_chars ignores the global locale.
std::optional<double> quality(std::string_view params) {
  while (!params.empty()) {
    auto end = params.find(';');
    auto param = params.substr(0, end);
    params = end == std::string_view::npos ? std::string_view{} : params.substr(end + 1);
    if (!param.starts_with("q=")) continue;
    double q = 0;
    auto value = param.substr(2);
    auto [rest, error] = std::from_chars(value.data(), value.data() + value.size(), q);
    if (error != std::errc{} || rest != value.data() + value.size() || q < 0 || q > 1) return std::nullopt;
    return q;
  }
  return 1.0;
}

}  // namespace

const std::vector<Language>& known_languages() {
  static const std::vector<Language> kLanguages{
      {"en", "en_US", "English"},     {"de", "de_DE", "Deutsch"},        {"es", "es_ES", "Español"},
      {"zh-hans", "zh_CN", "简体中文"}, {"ru", "ru_RU", "Русский"},        {"ko", "ko_KR", "한국어"},
      {"fr", "fr_FR", "Français"},    {"ja", "ja_JP", "日本語"},           {"it", "it_IT", "Italiano"},
      {"uk", "uk_UA", "Українська"},  {"pl", "pl_PL", "Polski"},
  };
  return kLanguages;
}

Translator::Translator(const std::vector<std::string>& codes, std::string default_code)
    : default_(std::move(default_code)) {
  for (const auto& code : codes) {
    auto it = std::find_if(known_languages().begin(), known_languages().end(),
                           [&](const Language& language) { return language.code == code; });
    if (it == known_languages().end()) {
      throw std::invalid_argument("unknown language '" + code + "'; known: en, de, es, zh-hans, ru, ko, fr, ja, it, uk, pl");
    }
    offered_.push_back(*it);
  }
  if (offered_.empty()) offered_.push_back(known_languages().front());
}

void Translator::add_domain(std::string domain, std::filesystem::path locale_dir) {
  domains_.push_back(std::move(domain));
  paths_.push_back(std::move(locale_dir));
}

void Translator::load() {
  boost::locale::generator generator;
  for (const auto& path : paths_) generator.add_messages_path(path.string());
  for (const auto& domain : domains_) generator.add_messages_domain(domain);
  for (const auto& language : offered_) locales_[language.code] = generator(language.locale_id + ".UTF-8");
}

std::string Translator::translate(std::string_view language, std::string_view msgid) const {
  auto it = locales_.find(language);
  if (it == locales_.end() || language == "en") return std::string(msgid);
  std::string id(msgid);
  for (const auto& domain : domains_) {
    auto text = boost::locale::translate(id).str(it->second, domain);
    if (text != id) return text;
  }
  return id;
}

bool Translator::offers(std::string_view code) const {
  return std::any_of(offered_.begin(), offered_.end(), [&](const Language& language) { return language.code == code; });
}

std::string Translator::negotiate(std::string_view accept_language) const {
  // Entries look like "de-DE,de;q=0.9,en;q=0.8". Pick the offered language
  // with the highest q; a region-specific tag matches its base language, and
  // any Chinese tag except Traditional ones (Hant, TW, HK, MO) matches zh-hans.
  std::string best = default_;
  double best_q = -1;
  std::stringstream stream{std::string(accept_language)};
  std::string entry;
  while (std::getline(stream, entry, ',')) {
    entry.erase(std::remove_if(entry.begin(), entry.end(), [](unsigned char c) { return std::isspace(c); }),
                entry.end());
    std::transform(entry.begin(), entry.end(), entry.begin(), [](unsigned char c) { return std::tolower(c); });
    double q = 1.0;
    auto semicolon = entry.find(';');
    if (semicolon != std::string::npos) {
      auto parsed = quality(std::string_view(entry).substr(semicolon + 1));
      // q=0 means "not acceptable", and a malformed q drops only this entry.
      if (!parsed || *parsed <= 0) continue;
      q = *parsed;
      entry.resize(semicolon);
    }
    std::string code = entry;
    if (code == "zh" || code.starts_with("zh-")) {
      bool traditional =
          code.find("hant") != std::string::npos || code == "zh-tw" || code == "zh-hk" || code == "zh-mo";
      code = traditional ? "" : "zh-hans";
    } else if (auto dash = code.find('-'); dash != std::string::npos) {
      code.resize(dash);
    }
    if (q > best_q && offers(code)) {
      best = code;
      best_q = q;
    }
  }
  return best;
}

}  // namespace aa::core
