// The instance configuration: allianceauth.yaml, with ${VAR} references to
// environment variables expanded and every key checked against the declared
// schema (core keys plus what each plugin declares).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "aa/settings.hpp"

namespace aa::core {

/// One problem found in the config, with the dotted key path it concerns.
struct ConfigProblem {
  std::string key;
  std::string message;
};

/// The parsed config. Read-only once loaded; safe to share between threads.
class Config final : public aa::Settings {
 public:
  /// Reads and parses `path`. Throws std::runtime_error naming the file and
  /// the YAML error (line and column) when it cannot be read or parsed, or
  /// when a ${VAR} it references is not set.
  static Config load(const std::filesystem::path& path);
  /// Parses YAML text; `instance_dir` anchors relative paths.
  static Config from_string(const std::string& yaml, const std::filesystem::path& instance_dir);

  /// Checks every key against the core schema and the plugin settings in
  /// `plugin_settings` (plugin name -> its declarations). Returns every
  /// problem; an empty list means the config is valid.
  std::vector<ConfigProblem> validate(
      const std::vector<std::pair<std::string, std::vector<SettingDecl>>>& plugin_settings) const;

  std::optional<std::string> get_string(const std::string& key) const override;
  std::optional<long long> get_int(const std::string& key) const override;
  std::optional<bool> get_bool(const std::string& key) const override;
  std::vector<std::string> get_list(const std::string& key) const override;

  /// The names under `plugins:`, in file order. The key may be a list of
  /// names or a map from name to that plugin's settings.
  std::vector<std::string> plugin_names() const;
  /// A path setting resolved against the instance directory.
  std::filesystem::path path(const std::string& key) const;

  /// Makes the defaults of a plugin's declared settings visible through the
  /// getters. Called while plugins load, before any thread starts.
  void add_plugin_defaults(const std::string& plugin, const std::vector<SettingDecl>& settings);

  const std::filesystem::path& instance_dir() const { return instance_dir_; }
  const std::filesystem::path& file() const { return file_; }
  const YAML::Node& root() const { return root_; }

 private:
  std::optional<YAML::Node> find(const std::string& key) const;
  std::optional<std::string> default_of(const std::string& key) const;

  YAML::Node root_;
  std::filesystem::path instance_dir_;
  std::filesystem::path file_;
  std::map<std::string, std::string> plugin_defaults_;
};

/// Replaces each ${NAME} in `text` with the environment variable NAME.
/// Throws std::runtime_error naming the variable when it is not set; "$$"
/// stands for a literal "$".
std::string expand_environment(const std::string& text);

}  // namespace aa::core
