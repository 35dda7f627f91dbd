// Values for a page template. Templates are Ctemplate files that start with
// {{%AUTOESCAPE context="HTML"}}, so every value set here is escaped for the
// place it is used in. A value is inserted unescaped only where the template
// says {{NAME:none}}.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aa/export.hpp"

namespace aa {

/// A tree of template values: named values, sections shown once, and
/// repeated sections with one child per row.
class AA_SDK_API TemplateData {
 public:
  TemplateData() = default;

  /// Sets {{KEY}}.
  TemplateData& set(const std::string& key, std::string value);
  TemplateData& set(const std::string& key, long long value);
  TemplateData& set(const std::string& key, int value) { return set(key, static_cast<long long>(value)); }
  TemplateData& set(const std::string& key, const char* value) { return set(key, std::string(value)); }
  /// Shows {{#SECTION}}...{{/SECTION}} once with the values of this level.
  TemplateData& show(const std::string& section);
  /// Shows the section when `condition` holds; a shorthand for if/show.
  TemplateData& show_if(const std::string& section, bool condition);
  /// Adds one row of {{#SECTION}}...{{/SECTION}} and returns its values.
  TemplateData& add_row(const std::string& section);

  const std::map<std::string, std::string>& values() const { return values_; }
  const std::map<std::string, std::vector<TemplateData>>& sections() const { return sections_; }

 private:
  std::map<std::string, std::string> values_;
  std::map<std::string, std::vector<TemplateData>> sections_;
};

}  // namespace aa
