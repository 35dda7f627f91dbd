// The core settings: every key allianceauth.yaml may contain outside
// plugins.<name>, with its type and default.
#pragma once

#include <span>

#include "aa/settings.hpp"

namespace aa::core {

/// Core settings, keyed by dotted path ("server.port"). Defaults are written
/// as they would be in YAML.
std::span<const SettingDecl> core_settings();

}  // namespace aa::core
