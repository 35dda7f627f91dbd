#include "web/templates.hpp"

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "web/i18n.hpp"

namespace aa::core {
namespace {

constexpr std::string_view kPragma = "{{%AUTOESCAPE context=\"HTML\"}}";
constexpr int kMaxIncludeDepth = 8;

void fill(ctemplate::TemplateDictionary& dictionary, const TemplateData& data) {
  for (const auto& [key, value] : data.values()) dictionary.SetValue(key, value);
  for (const auto& [section, rows] : data.sections()) {
    for (const auto& row : rows) fill(*dictionary.AddSectionDictionary(section), row);
  }
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

TemplateEngine::TemplateEngine(std::vector<std::filesystem::path> search_dirs, const Translator& translator)
    : search_dirs_(std::move(search_dirs)), translator_(translator),
      cache_(std::make_unique<ctemplate::TemplateCache>()) {}

TemplateEngine::~TemplateEngine() = default;

std::filesystem::path TemplateEngine::resolve(std::string_view name) const {
  // Names are relative paths without "..", so a template name from a plugin
  // cannot reach outside the template directories.
  std::filesystem::path relative(name);
  if (relative.is_absolute() || name.find("..") != std::string_view::npos) return {};
  for (const auto& dir : search_dirs_) {
    auto candidate = dir / relative;
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
  }
  return {};
}

std::string TemplateEngine::expand_tags(std::string_view language, std::string_view name, int depth) const {
  if (depth > kMaxIncludeDepth) {
    throw std::runtime_error("template " + std::string(name) + ": includes nested deeper than " +
                             std::to_string(kMaxIncludeDepth) + " levels");
  }
  auto path = resolve(name);
  if (path.empty()) throw std::runtime_error("template " + std::string(name) + " not found");
  std::string text = read_file(path);
  if (text.compare(0, kPragma.size(), kPragma) != 0) {
    throw std::runtime_error("template " + path.string() + " must start with " + std::string(kPragma));
  }
  if (depth > 0) text.erase(0, kPragma.size());

  static const std::regex kTag(R"re(\{%\s*(trans|include)\s+(?:"([^"]*)"|'([^']*)')\s*%\})re");
  std::string out;
  auto begin = std::sregex_iterator(text.begin(), text.end(), kTag);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const auto& match = *it;
    out.append(text, last, static_cast<std::size_t>(match.position()) - last);
    std::string argument = match[2].matched ? match[2].str() : match[3].str();
    if (match[1] == "trans") {
      out += html_escape(translator_.translate(language, argument));
    } else {
      out += expand_tags(language, argument, depth + 1);
    }
    last = static_cast<std::size_t>(match.position() + match.length());
  }
  out.append(text, last);
  return out;
}

std::string TemplateEngine::load(std::string_view language, std::string_view name) {
  std::string key = std::string(language) + ":" + std::string(name);
  std::lock_guard lock(mutex_);
  if (loaded_.contains(key)) return key;

  auto text = expand_tags(language, name, 0);
  cache_->Delete(key);
  if (!cache_->StringToTemplateCache(key, text, ctemplate::DO_NOT_STRIP)) {
    throw std::runtime_error("template " + std::string(name) + " does not parse; Ctemplate printed the reason");
  }
  loaded_[key] = true;
  return key;
}

std::string TemplateEngine::render(std::string_view language, std::string_view name, const TemplateData& data) {
  return render(language, name, data, {});
}

std::string TemplateEngine::render(std::string_view language, std::string_view name, const TemplateData& data,
                                   const std::vector<std::pair<std::string_view, std::string_view>>& globals) {
  auto key = load(language, name);
  ctemplate::TemplateDictionary dictionary("page");
  fill(dictionary, data);
  for (const auto& [global, value] : globals) {
    dictionary.SetValue(ctemplate::TemplateString(global.data(), global.size()),
                        ctemplate::TemplateString(value.data(), value.size()));
  }
  std::string out;
  if (!cache_->ExpandWithData(key, ctemplate::DO_NOT_STRIP, &dictionary, nullptr, &out)) {
    throw std::runtime_error("template " + std::string(name) + " failed to expand");
  }
  return out;
}

void TemplateEngine::clear() {
  std::lock_guard lock(mutex_);
  for (const auto& [key, loaded] : loaded_) cache_->Delete(key);
  loaded_.clear();
}

}  // namespace aa::core
