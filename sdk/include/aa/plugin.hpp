// The plugin entry point. A plugin is one shared library that defines a
// subclass of aa::Plugin and names it once with AA_PLUGIN:
//
//   class Timerboard : public aa::Plugin { ... };
//   AA_PLUGIN(Timerboard)
//
// The library's file name is the plugin name (timerboard.so), which is also
// its key under `plugins:` in allianceauth.yaml.
#pragma once

#include <memory>
#include <string>

#include <boost/dll/alias.hpp>

#include "aa/export.hpp"
#include "aa/registry.hpp"
#include "aa/version.hpp"

namespace aa {

class AA_SDK_API Plugin {
 public:
  virtual ~Plugin() = default;

  /// The config key and library name, e.g. "timerboard".
  virtual std::string name() const = 0;
  virtual std::string version() const = 0;
  /// Registers the plugin's hooks. Called once at start, on the main thread,
  /// before the server accepts connections. It may throw: the host then logs
  /// the plugin name, path and exception text, drops what was registered and
  /// serves without the plugin.
  virtual void register_hooks(Registry& registry) = 0;
};

using PluginFactory = std::unique_ptr<Plugin>();
using PluginAbiVersion = int();

}  // namespace aa

/// Exports the two entry points of a plugin library: its SDK ABI version,
/// read before anything else, and the factory of `PluginClass`.
#define AA_PLUGIN(PluginClass)                                                     \
  namespace aa_plugin_entry {                                                      \
  static int abi_version() { return ::aa::kSdkAbiVersion; }                        \
  static std::unique_ptr<::aa::Plugin> create() { return std::make_unique<PluginClass>(); } \
  }                                                                                \
  BOOST_DLL_ALIAS(aa_plugin_entry::abi_version, aa_plugin_abi_version)             \
  BOOST_DLL_ALIAS(aa_plugin_entry::create, aa_plugin_create)
