// Finds, checks and loads the plugins the config lists. A plugin that fails
// any step is logged with its name, path and reason and skipped; the daemon
// serves the rest.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "aa/plugin.hpp"
#include "plugins/hook_set.hpp"

namespace aa::core {

class Router;

enum class PluginStatus { loaded, failed };

/// The outcome for one configured plugin, as `allianceauth plugins` lists it.
struct PluginRecord {
  std::string name;
  std::filesystem::path path;  ///< Empty when no file was found.
  PluginStatus status = PluginStatus::failed;
  std::string reason;          ///< Why it failed; empty when loaded.
  std::string version;
  /// Where the plugin's templates/, static/ and locale/ live.
  std::filesystem::path resource_dir;
};

std::string_view to_string(PluginStatus status);

/// Owns the loaded libraries and the plugin objects. Destroys every plugin
/// object, in reverse load order, before unloading its library.
class PluginLoader {
 public:
  explicit PluginLoader(std::vector<std::filesystem::path> search_dirs);
  ~PluginLoader();
  PluginLoader(const PluginLoader&) = delete;
  PluginLoader& operator=(const PluginLoader&) = delete;

  /// Loads `name` and registers its hooks. On success the hooks are merged
  /// into `hooks`; on failure `hooks` is unchanged. Never throws.
  PluginRecord load(const std::string& name, aa::Context& context, HookSet& hooks, const Router& router);

  const std::vector<PluginRecord>& records() const { return records_; }
  const std::vector<std::filesystem::path>& search_dirs() const { return search_dirs_; }

 private:
  struct Loaded {
    boost::dll::shared_library library;
    std::unique_ptr<aa::Plugin> plugin;
  };

  std::filesystem::path find(const std::string& name) const;

  std::vector<std::filesystem::path> search_dirs_;
  std::vector<PluginRecord> records_;
  std::vector<Loaded> loaded_;
};

/// The default plugin directories: `lib/allianceauth/plugins` beside the
/// directory of the running executable (the build tree), and the same under
/// the configured library directory of an installed prefix.
std::vector<std::filesystem::path> default_plugin_dirs();

}  // namespace aa::core
