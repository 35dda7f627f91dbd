#include "app/paths.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include <cstdlib>

namespace aa::core {

std::filesystem::path share_dir() {
  // AA_SHARE_DIR lets tests and packagers point elsewhere.
  if (const char* override_dir = std::getenv("AA_SHARE_DIR"); override_dir && *override_dir) return override_dir;
  std::filesystem::path program = boost::dll::program_location().string();
  return (program.parent_path().parent_path() / "share" / "allianceauth").lexically_normal();
}

}  // namespace aa::core
