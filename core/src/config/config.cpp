#include "config/config.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "config/schema.hpp"

namespace aa::core {
namespace {

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(key);
  while (std::getline(stream, part, '.')) parts.push_back(part);
  return parts;
}

// Expands ${VAR} in every scalar of the tree, in place.
void expand_tree(YAML::Node node) {
  if (node.IsScalar()) {
    auto text = node.Scalar();
    if (text.find('$') != std::string::npos) node = expand_environment(text);
    return;
  }
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) expand_tree(node[i]);
    return;
  }
  if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) expand_tree(it->second);
  }
}

const SettingDecl* find_core_decl(const std::string& key) {
  for (const auto& decl : core_settings()) {
    if (decl.key == key) return &decl;
  }
  return nullptr;
}

bool is_prefix_of_core_key(const std::string& prefix) {
  for (const auto& decl : core_settings()) {
    if (decl.key.size() > prefix.size() && decl.key.compare(0, prefix.size(), prefix) == 0 &&
        decl.key[prefix.size()] == '.') {
      return true;
    }
  }
  return false;
}

std::optional<bool> parse_bool(const std::string& text) {
  if (text == "true" || text == "yes" || text == "on" || text == "True") return true;
  if (text == "false" || text == "no" || text == "off" || text == "False") return false;
  return std::nullopt;
}

std::optional<long long> parse_int(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

// Checks that `node` fits `decl.type`; returns the problem or nothing.
std::optional<std::string> check_type(const SettingDecl& decl, const YAML::Node& node) {
  using Type = SettingDecl::Type;
  switch (decl.type) {
    case Type::string:
      if (!node.IsScalar() && !node.IsNull()) return "must be a text value";
      return std::nullopt;
    case Type::integer:
      if (!node.IsScalar() || !parse_int(node.Scalar())) return "must be a whole number, not '" + YAML::Dump(node) + "'";
      return std::nullopt;
    case Type::boolean:
      if (!node.IsScalar() || !parse_bool(node.Scalar())) return "must be true or false, not '" + YAML::Dump(node) + "'";
      return std::nullopt;
    case Type::string_list:
      if (node.IsNull()) return std::nullopt;
      if (!node.IsSequence()) return "must be a list, e.g. [a, b]";
      for (const auto& item : node) {
        if (!item.IsScalar()) return "must be a list of text values";
      }
      return std::nullopt;
  }
  return std::nullopt;
}

bool is_http_url(const std::string& text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) return false;
  return (url->scheme() == "http" || url->scheme() == "https") && url->has_authority() && !url->host().empty();
}

void check_value_rules(const Config& config, std::vector<ConfigProblem>& problems) {
  auto backend = config.string_or("database.backend", "sqlite3");
  if (backend != "sqlite3" && backend != "mysql") {
    problems.push_back({"database.backend", "must be sqlite3 or mysql, not '" + backend + "'"});
  }
  for (const char* key : {"site_url", "esi.base_url", "sso.metadata_url"}) {
    auto value = config.string_or(key, "");
    if (!is_http_url(value)) problems.push_back({key, "must be an http:// or https:// URL, not '" + value + "'"});
  }
  auto callback = config.string_or("sso.callback_url", "");
  if (!callback.empty() && !is_http_url(callback)) {
    problems.push_back({"sso.callback_url", "must be an http:// or https:// URL, not '" + callback + "'"});
  }
  if (config.string_or("secret_key", "").size() < 32) {
    problems.push_back({"secret_key", "must be at least 32 characters; `allianceauth start` writes a random one"});
  }
  auto port = config.int_or("server.port", 8000);
  if (port < 0 || port > 65535) problems.push_back({"server.port", "must be between 0 and 65535, not " + std::to_string(port)});
  auto mail_port = config.int_or("email.port", 587);
  if (mail_port < 1 || mail_port > 65535) {
    problems.push_back({"email.port", "must be between 1 and 65535, not " + std::to_string(mail_port)});
  }
  auto ca_file = config.string_or("email.ca_file", "");
  if (!ca_file.empty()) {
    std::error_code error;
    if (!std::filesystem::path(ca_file).is_absolute()) {
      problems.push_back({"email.ca_file", "must be an absolute path to a PEM file, not '" + ca_file + "'"});
    } else if (!std::filesystem::is_regular_file(ca_file, error)) {
      problems.push_back({"email.ca_file", "must name an existing file, not '" + ca_file +
                                               "'; give the PEM file of the SMTP server's CA certificates"});
    }
  }
  for (const char* key : {"server.io_threads", "server.worker_threads", "database.pool_size"}) {
    auto value = config.int_or(key, 1);
    if (value < 1 || value > 256) problems.push_back({key, "must be between 1 and 256, not " + std::to_string(value)});
  }
  for (const char* key : {"log.level", "log.extensions_level"}) {
    auto level = config.string_or(key, "info");
    if (level != "debug" && level != "info" && level != "warning" && level != "error" && level != "critical") {
      problems.push_back({key, "must be debug, info, warning, error or critical, not '" + level + "'"});
    }
  }
  // Limits below which the server cannot work: a zero timeout drops every
  // request, a tiny body limit rejects every form.
  struct Minimum {
    const char* key;
    long long minimum;
    const char* why;
  };
  for (const auto& [key, minimum, why] : {
           Minimum{"server.read_timeout_seconds", 1, "a request needs time to arrive"},
           Minimum{"server.keep_alive_seconds", 1, "idle connections need time to send the next request"},
           Minimum{"server.max_header_bytes", 1024, "browsers send headers of several hundred bytes"},
           Minimum{"server.max_body_bytes", 1024, "forms need room"},
           Minimum{"session.age_seconds", 300, "an SSO login must fit in a session"},
           Minimum{"notifications.refresh_time", 0, "0 turns refreshing off"},
           Minimum{"notifications.max_per_user", 1, "a user must be able to see a new notification"},
           Minimum{"registration.activation_days", 1, "a user needs time to open the mail"},
           Minimum{"registration.activation_mail_interval_minutes", 0, "0 allows mails back to back"},
           Minimum{"registration.activation_mails_per_day", 1, "a new user needs at least one mail"},
           Minimum{"email.timeout_seconds", 1, "an SMTP server needs time to answer"},
           Minimum{"email.retries", 0, "0 sends once"},
           Minimum{"email.retry_pause_seconds", 0, "0 retries at once"},
       }) {
    auto value = config.int_or(key, minimum);
    if (value < minimum) {
      problems.push_back({key, "must be at least " + std::to_string(minimum) + ", not " + std::to_string(value) +
                                   ", because " + why});
    }
  }
  if (config.get_bool("registration.verify_email").value_or(false)) {
    if (config.string_or("email.host", "").empty()) {
      problems.push_back({"email.host", "must be set when registration.verify_email is true, or no activation mail "
                                        "can be sent"});
    }
    auto from = config.string_or("email.from", "");
    if (from.find('@') == std::string::npos || from.find_first_of("\r\n") != std::string::npos) {
      problems.push_back({"email.from", "must be an address such as \"Alliance Auth <auth@example.com>\" when "
                                        "registration.verify_email is true, not '" + from + "'"});
    }
  }
  if (config.get_bool("email.use_tls").value_or(true) && config.get_bool("email.use_ssl").value_or(false)) {
    problems.push_back({"email.use_ssl", "and email.use_tls cannot both be true; use_ssl is implicit TLS (port 465), "
                                         "use_tls is STARTTLS (port 587)"});
  }
  boost::system::error_code ec;
  auto host = config.string_or("server.host", "127.0.0.1");
  boost::asio::ip::make_address(host, ec);
  if (ec) problems.push_back({"server.host", "must be an IP address such as 127.0.0.1 or ::1, not '" + host + "'"});
  for (const auto& proxy : config.get_list("trusted_proxies")) {
    boost::asio::ip::make_address(proxy, ec);
    if (ec) problems.push_back({"trusted_proxies", "'" + proxy + "' is not an IP address"});
  }

  auto languages = config.get_list("languages");
  auto language = config.string_or("language", "en");
  if (std::find(languages.begin(), languages.end(), language) == languages.end()) {
    problems.push_back({"language", "'" + language + "' is not one of the languages listed under languages"});
  }
}

// YAML allows a key twice in one map and keeps one of them silently, which
// hides typos and half-edited sections; report every repeat.
void find_duplicate_keys(const std::string& path, const YAML::Node& node, std::vector<ConfigProblem>& problems) {
  if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      find_duplicate_keys(path + "[" + std::to_string(i) + "]", node[i], problems);
    }
    return;
  }
  if (!node.IsMap()) return;
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    auto key = it->first.IsScalar() ? it->first.Scalar() : YAML::Dump(it->first);
    auto child = path.empty() ? key : path + "." + key;
    if (!seen.insert(key).second) problems.push_back({child, "appears twice; keep one"});
    find_duplicate_keys(child, it->second, problems);
  }
}

bool is_plugin_name(const std::string& name) {
  static const std::regex kName("[a-z][a-z0-9_]*");
  return std::regex_match(name, kName);
}

void validate_node(const std::string& path, const YAML::Node& node, std::vector<ConfigProblem>& problems) {
  if (const auto* decl = find_core_decl(path)) {
    if (auto problem = check_type(*decl, node)) problems.push_back({path, *problem});
    return;
  }
  if (is_prefix_of_core_key(path)) {
    // A section whose keys are all commented out is null, and its defaults apply.
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      problems.push_back({path, "must be a section of keys"});
      return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      validate_node(path + "." + it->first.as<std::string>(), it->second, problems);
    }
    return;
  }
  problems.push_back({path, "unknown key; check its spelling against etc/allianceauth.yaml"});
}

}  // namespace

std::string expand_environment(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      auto close = text.find('}', i + 2);
      if (close == std::string::npos) throw std::runtime_error("unclosed ${ in '" + text + "'");
      auto name = text.substr(i + 2, close - i - 2);
      const char* value = std::getenv(name.c_str());
      if (!value) throw std::runtime_error("environment variable " + name + " is not set");
      out += value;
      i = close;
      continue;
    }
    out.push_back('$');
  }
  return out;
}

Config Config::load(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read config file " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  try {
    auto config = from_string(buffer.str(), std::filesystem::absolute(path).parent_path());
    config.file_ = std::filesystem::absolute(path);
    return config;
  } catch (const std::exception& error) {
    throw std::runtime_error(path.string() + ": " + error.what());
  }
}

Config Config::from_string(const std::string& yaml, const std::filesystem::path& instance_dir) {
  Config config;
  config.root_ = YAML::Load(yaml);
  if (config.root_.IsNull()) config.root_ = YAML::Node(YAML::NodeType::Map);
  if (!config.root_.IsMap()) throw std::runtime_error("the top level must be a map of keys");
  expand_tree(config.root_);
  config.instance_dir_ = instance_dir;
  return config;
}

std::vector<ConfigProblem> Config::validate(
    const std::vector<std::pair<std::string, std::vector<SettingDecl>>>& plugin_settings) const {
  std::vector<ConfigProblem> problems;
  std::map<std::string, const std::vector<SettingDecl>*> declared;
  for (const auto& [plugin, decls] : plugin_settings) declared[plugin] = &decls;
  find_duplicate_keys("", root_, problems);
  for (const auto& name : plugin_names()) {
    if (!is_plugin_name(name)) {
      problems.push_back({"plugins", "'" + name + "' is not a plugin name (lower case letters, digits and _)"});
    }
  }

  for (auto it = root_.begin(); it != root_.end(); ++it) {
    auto key = it->first.as<std::string>();
    // `schedule:` has entries named by the admin; the task module checks it.
    if (key == "schedule") continue;
    if (key != "plugins") {
      validate_node(key, it->second, problems);
      continue;
    }
    const auto& plugins = it->second;
    if (plugins.IsNull()) continue;
    if (plugins.IsSequence()) {
      // plugin_names() skips items that are not names, so they must be reported here.
      for (std::size_t i = 0; i < plugins.size(); ++i) {
        if (!plugins[i].IsScalar()) {
          problems.push_back({"plugins[" + std::to_string(i) + "]",
                              "must be a plugin name. Settings go in the map form, plugins: {name: {key: value}}"});
        }
      }
      continue;
    }
    if (!plugins.IsMap()) {
      problems.push_back({"plugins", "must be a list of plugin names or a map from name to settings"});
      continue;
    }
    for (auto plugin = plugins.begin(); plugin != plugins.end(); ++plugin) {
      auto name = plugin->first.as<std::string>();
      const auto& settings = plugin->second;
      if (settings.IsNull()) continue;
      if (!settings.IsMap()) {
        problems.push_back({"plugins." + name, "must be empty or a map of that plugin's settings"});
        continue;
      }
      auto decls = declared.find(name);
      // A plugin that failed to load declared nothing; the loader reports it.
      if (decls == declared.end()) continue;
      for (auto setting = settings.begin(); setting != settings.end(); ++setting) {
        auto setting_key = setting->first.as<std::string>();
        auto path = "plugins." + name + "." + setting_key;
        const SettingDecl* match = nullptr;
        for (const auto& decl : *decls->second) {
          if (decl.key == setting_key) match = &decl;
        }
        if (!match) {
          problems.push_back({path, "unknown key; plugin " + name + " declares no such setting"});
          continue;
        }
        if (auto problem = check_type(*match, setting->second)) problems.push_back({path, *problem});
      }
    }
  }
  if (problems.empty()) check_value_rules(*this, problems);
  return problems;
}

std::optional<YAML::Node> Config::find(const std::string& key) const {
  // Lookups go through const nodes, and reset() rebinds rather than assigns:
  // yaml-cpp's non-const operator[] inserts keys and operator= overwrites the
  // referenced node.
  YAML::Node node;
  node.reset(root_);
  for (const auto& part : split_key(key)) {
    if (!node.IsMap()) return std::nullopt;
    const YAML::Node& parent = node;
    YAML::Node child = parent[part];
    if (!child.IsDefined()) return std::nullopt;
    node.reset(child);
  }
  if (node.IsNull()) return std::nullopt;
  return node;
}

void Config::add_plugin_defaults(const std::string& plugin, const std::vector<SettingDecl>& settings) {
  for (const auto& decl : settings) plugin_defaults_["plugins." + plugin + "." + decl.key] = decl.default_value;
}

std::optional<std::string> Config::default_of(const std::string& key) const {
  if (const auto* decl = find_core_decl(key)) return decl->default_value;
  if (auto it = plugin_defaults_.find(key); it != plugin_defaults_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::string> Config::get_string(const std::string& key) const {
  if (auto node = find(key); node && node->IsScalar()) return node->Scalar();
  auto fallback = default_of(key);
  if (fallback && (fallback->empty() || fallback->front() != '[')) return fallback;
  return std::nullopt;
}

std::optional<long long> Config::get_int(const std::string& key) const {
  if (auto node = find(key); node && node->IsScalar()) return parse_int(node->Scalar());
  if (auto fallback = default_of(key)) return parse_int(*fallback);
  return std::nullopt;
}

std::optional<bool> Config::get_bool(const std::string& key) const {
  if (auto node = find(key); node && node->IsScalar()) return parse_bool(node->Scalar());
  if (auto fallback = default_of(key)) return parse_bool(*fallback);
  return std::nullopt;
}

std::vector<std::string> Config::get_list(const std::string& key) const {
  std::vector<std::string> items;
  std::optional<YAML::Node> node = find(key);
  if (!node) {
    auto fallback = default_of(key);
    if (!fallback) return items;
    node = YAML::Load(*fallback);
  }
  if (!node->IsSequence()) return items;
  for (const auto& item : *node) {
    if (item.IsScalar()) items.push_back(item.Scalar());
  }
  return items;
}

std::vector<std::string> Config::plugin_names() const {
  std::vector<std::string> names;
  auto plugins = find("plugins");
  if (!plugins) return names;
  if (plugins->IsSequence()) {
    for (const auto& item : *plugins) {
      if (item.IsScalar()) names.push_back(item.Scalar());
    }
  } else if (plugins->IsMap()) {
    for (auto it = plugins->begin(); it != plugins->end(); ++it) names.push_back(it->first.as<std::string>());
  }
  return names;
}

std::filesystem::path Config::path(const std::string& key) const {
  std::filesystem::path value = get_string(key).value_or("");
  if (value.is_relative()) value = instance_dir_ / value;
  return value.lexically_normal();
}

}  // namespace aa::core
