// Where the daemon finds its own files: `share/allianceauth` beside the
// directory of the running executable holds templates/, static/, locale/
// and node_modules/ (front-end packages), in the build tree (as links to
// the sources) and in an installed prefix alike.
#pragma once

#include <filesystem>

namespace aa::core {

std::filesystem::path share_dir();

}  // namespace aa::core
