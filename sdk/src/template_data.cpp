#include "aa/template.hpp"

namespace aa {

TemplateData& TemplateData::set(const std::string& key, std::string value) {
  values_[key] = std::move(value);
  return *this;
}

TemplateData& TemplateData::set(const std::string& key, long long value) {
  values_[key] = std::to_string(value);
  return *this;
}

TemplateData& TemplateData::show(const std::string& section) {
  auto& rows = sections_[section];
  if (rows.empty()) rows.emplace_back();
  return *this;
}

TemplateData& TemplateData::show_if(const std::string& section, bool condition) {
  if (condition) show(section);
  return *this;
}

TemplateData& TemplateData::add_row(const std::string& section) {
  return sections_[section].emplace_back();
}

}  // namespace aa
