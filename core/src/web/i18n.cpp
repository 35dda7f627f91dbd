#include "web/i18n.hpp"

#include <boost/locale/generator.hpp>
#include <boost/locale/message.hpp>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

namespace aa::core {

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
  // any Chinese tag except Traditional matches zh-hans.
  std::string best = default_;
  double best_q = -1;
  std::stringstream stream{std::string(accept_language)};
  std::string entry;
  while (std::getline(stream, entry, ',')) {
    entry.erase(std::remove_if(entry.begin(), entry.end(), [](unsigned char c) { return std::isspace(c); }),
                entry.end());
    double q = 1.0;
    auto semicolon = entry.find(';');
    if (semicolon != std::string::npos) {
      auto params = entry.substr(semicolon + 1);
      if (params.rfind("q=", 0) == 0) {
        try {
          q = std::stod(params.substr(2));
        } catch (const std::exception&) {
          q = 0;
        }
      }
      entry.resize(semicolon);
    }
    std::transform(entry.begin(), entry.end(), entry.begin(), [](unsigned char c) { return std::tolower(c); });
    std::string code = entry;
    if (code.rfind("zh", 0) == 0) {
      code = (code.find("hant") != std::string::npos || code == "zh-tw" || code == "zh-hk") ? "" : "zh-hans";
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
