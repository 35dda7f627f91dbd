// Page rendering with Ctemplate. Templates are looked up by name
// ("allianceauth/dashboard.html") in the instance's templates/ first, then in
// each plugin's, then in core's, so an admin overrides any page by path.
//
// Before Ctemplate sees a file, two tags of our own are expanded:
//   {% trans "Text" %}     the translation of Text, HTML-escaped;
//   {% include "name" %}   the named template, inlined.
// Every template must start with {{%AUTOESCAPE context="HTML"}} so that
// every value is escaped; the engine rejects a file without it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "aa/template.hpp"

namespace ctemplate {
class TemplateCache;
}

namespace aa::core {

class Translator;

class TemplateEngine {
 public:
  /// `search_dirs` in lookup order: instance, plugins, core.
  TemplateEngine(std::vector<std::filesystem::path> search_dirs, const Translator& translator);
  ~TemplateEngine();

  /// Renders template `name` in `language`. Throws std::runtime_error naming
  /// the template when it is missing, lacks the AUTOESCAPE pragma or does not
  /// parse. Thread-safe.
  std::string render(std::string_view language, std::string_view name, const TemplateData& data);
  /// The same, with `globals` set on the top level too (values the host adds
  /// to every page), which saves copying `data`.
  std::string render(std::string_view language, std::string_view name, const TemplateData& data,
                     const std::vector<std::pair<std::string_view, std::string_view>>& globals);
  /// The file `name` resolves to, or an empty path.
  std::filesystem::path resolve(std::string_view name) const;
  /// Forgets every loaded template, so edited files are read again.
  void clear();

 private:
  std::string load(std::string_view language, std::string_view name);
  std::string expand_tags(std::string_view language, std::string_view name, int depth) const;

  std::vector<std::filesystem::path> search_dirs_;
  const Translator& translator_;
  std::unique_ptr<ctemplate::TemplateCache> cache_;
  std::mutex mutex_;
  std::map<std::string, bool, std::less<>> loaded_;
};

/// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view text);

}  // namespace aa::core
