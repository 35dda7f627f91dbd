// Read access to the instance configuration (allianceauth.yaml). Keys are
// dotted paths: "site_name", "esi.user_contact_email",
// "plugins.timerboard.some_option".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aa/export.hpp"

namespace aa {

/// A setting a plugin declares, with its default. Keys under
/// plugins.<plugin> that no plugin declares are rejected by `allianceauth check`.
struct SettingDecl {
  enum class Type { string, integer, boolean, string_list };
  std::string key;  ///< Relative to plugins.<plugin>, e.g. "max_rows".
  Type type = Type::string;
  std::string default_value;  ///< As it would be written in YAML.
  std::string help;
};

class AA_SDK_API Settings {
 public:
  virtual ~Settings() = default;
  virtual std::optional<std::string> get_string(const std::string& key) const = 0;
  virtual std::optional<long long> get_int(const std::string& key) const = 0;
  virtual std::optional<bool> get_bool(const std::string& key) const = 0;
  virtual std::vector<std::string> get_list(const std::string& key) const = 0;

  std::string string_or(const std::string& key, std::string fallback) const {
    return get_string(key).value_or(std::move(fallback));
  }
  long long int_or(const std::string& key, long long fallback) const { return get_int(key).value_or(fallback); }
  bool bool_or(const std::string& key, bool fallback) const { return get_bool(key).value_or(fallback); }
};

}  // namespace aa
