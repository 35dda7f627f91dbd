#include "plugins/loader.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include "app/logging.hpp"
#include "plugins/plugin_registry.hpp"

namespace aa::core {
namespace {

std::string join_paths(const std::vector<std::filesystem::path>& dirs) {
  std::string text;
  for (const auto& dir : dirs) {
    if (!text.empty()) text += ", ";
    text += dir.string();
  }
  return text.empty() ? "(no directories)" : text;
}

// Boost.DLL (1.81) reports a failed dlopen as "boost::dll::shared_library::load()
// failed (dlerror system message: TEXT): Bad file descriptor", where only
// TEXT describes the failure. Returns TEXT, or the whole message when it
// has another form.
std::string dlopen_error_text(const std::exception& error) {
  std::string_view message = error.what();
  constexpr std::string_view kPrefix = "(dlerror system message: ";
  auto start = message.find(kPrefix);
  auto end = message.rfind(')');
  if (start == std::string_view::npos || end == std::string_view::npos || end < start + kPrefix.size()) {
    return std::string(message);
  }
  start += kPrefix.size();
  return std::string(message.substr(start, end - start));
}

}  // namespace

std::string_view to_string(PluginStatus status) { return status == PluginStatus::loaded ? "loaded" : "failed"; }

std::vector<std::filesystem::path> default_plugin_dirs() {
  std::filesystem::path prefix = std::filesystem::path(boost::dll::program_location().string()).parent_path().parent_path();
  // The build tree uses lib/; an installed prefix uses the library directory
  // CMake was configured with, e.g. lib/x86_64-linux-gnu on Debian.
  std::vector<std::filesystem::path> dirs{(prefix / "lib" / "allianceauth" / "plugins").lexically_normal()};
  auto installed = (prefix / AA_INSTALL_LIBDIR / "allianceauth" / "plugins").lexically_normal();
  if (installed != dirs.front()) dirs.push_back(installed);
  return dirs;
}

PluginLoader::PluginLoader(std::vector<std::filesystem::path> search_dirs) : search_dirs_(std::move(search_dirs)) {}

PluginLoader::~PluginLoader() {
  // Plugin objects first (their code lives in the library), newest first.
  while (!loaded_.empty()) {
    loaded_.back().plugin.reset();
    loaded_.pop_back();
  }
}

std::filesystem::path PluginLoader::find(const std::string& name) const {
  for (const auto& dir : search_dirs_) {
    auto candidate = dir / (name + ".so");
    std::error_code ec;
    if (std::filesystem::exists(candidate, ec)) return candidate;
  }
  return {};
}

PluginRecord PluginLoader::load(const std::string& name, aa::Context& context, HookSet& hooks,
                                       const Router& router) {
  PluginRecord& record = records_.emplace_back();
  record.name = name;
  auto fail = [&](std::string reason) -> PluginRecord {
    record.status = PluginStatus::failed;
    record.reason = std::move(reason);
    core_log().error("plugin {} ({}) skipped: {}", name, record.path.empty() ? "no file" : record.path.string(),
                     record.reason);
    return record;
  };

  // 0. A plugin listed twice would register every hook again, and the
  // duplicate checks would then name the plugin as its own rival.
  for (std::size_t i = 0; i + 1 < records_.size(); ++i) {
    if (records_[i].name == name && records_[i].status == PluginStatus::loaded) {
      record.path = records_[i].path;
      return fail("already loaded; remove the second " + name + " entry from plugins: in the config");
    }
  }

  // 1. Find the file.
  record.path = find(name);
  if (record.path.empty()) {
    return fail("no " + name + ".so in the plugin directories: " + join_paths(search_dirs_));
  }
  record.resource_dir = record.path.parent_path() / name;

  // 2. Open it. RTLD_NOW reports unresolved symbols here, not at first call;
  // RTLD_LOCAL keeps one plugin's symbols from binding another's.
  Loaded loaded;
  try {
    loaded.library.load(record.path.string(),
                        boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& error) {
    return fail("cannot load the library: " + dlopen_error_text(error));
  }

  // 3. Check that it is a plugin and speaks our ABI before creating anything.
  if (!loaded.library.has("aa_plugin_abi_version") || !loaded.library.has("aa_plugin_create")) {
    return fail("not an Alliance Auth plugin: the library does not export aa_plugin_abi_version and "
                "aa_plugin_create (build it with AA_PLUGIN)");
  }
  int abi = loaded.library.get_alias<aa::PluginAbiVersion>("aa_plugin_abi_version")();
  if (abi != aa::kSdkAbiVersion) {
    return fail("built against SDK ABI version " + std::to_string(abi) + ", but this daemon has ABI version " +
                std::to_string(aa::kSdkAbiVersion) + "; rebuild the plugin against this SDK");
  }

  // 4. Create it. A constructor that throws is reported as such, not as a
  // register_hooks failure.
  try {
    loaded.plugin = loaded.library.get_alias<aa::PluginFactory>("aa_plugin_create")();
  } catch (const std::exception& error) {
    return fail(std::string("creating the plugin failed: ") + error.what());
  } catch (...) {
    return fail("creating the plugin threw an exception that is not a std::exception");
  }
  if (!loaded.plugin) return fail("the plugin factory returned no object");

  // 5. Register its hooks into a scratch set.
  HookSet registered;
  try {
    if (loaded.plugin->name() != name) {
      return fail("the library says its name is '" + loaded.plugin->name() + "', not '" + name + "'");
    }
    record.version = loaded.plugin->version();
    PluginRegistry registry(name, context, hooks, router);
    loaded.plugin->register_hooks(registry);
    registered = registry.take();
  } catch (const std::exception& error) {
    loaded.plugin.reset();
    return fail(std::string("register_hooks failed: ") + error.what());
  } catch (...) {
    loaded.plugin.reset();
    return fail("register_hooks threw an exception that is not a std::exception");
  }

  // 6. Accept it.
  hooks.merge(std::move(registered));
  record.status = PluginStatus::loaded;
  loaded_.push_back(std::move(loaded));
  core_log().info("plugin {} {} loaded from {}", name, record.version, record.path.string());
  return record;
}

}  // namespace aa::core
