// Static files under /static/: served from the static root that
// `allianceauth collectstatic` fills, or, before it has run, straight from
// the source folders in the order collectstatic uses (instance, plugins,
// core, front-end packages). Paths never leave those folders.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aa::core {

/// One front-end file taken from node_modules: source path inside
/// node_modules and its path under the static root.
struct VendorFile {
  std::string package_path;
  std::string static_path;
};

/// The npm files the pages use (Bootstrap, Font Awesome, jQuery, DataTables).
const std::vector<VendorFile>& vendor_files();

struct StaticFile {
  std::string body;
  std::string content_type;
  std::string etag;
  long long last_modified = 0;
};

class StaticFiles {
 public:
  /// `sources`: folders searched in order when the static root lacks a
  /// file; `node_modules`: where vendor files come from.
  StaticFiles(std::filesystem::path root, std::vector<std::filesystem::path> sources,
              std::filesystem::path node_modules);

  /// The file for a URL path below /static/ (percent-decoded), or nothing
  /// when it does not exist or the path is not allowed.
  std::optional<StaticFile> find(std::string_view relative_path) const;

  /// Copies every source file and vendor file into the root; later sources
  /// do not overwrite earlier ones. Returns the number of files copied.
  /// Throws std::runtime_error naming a vendor file that is missing.
  int collect() const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::optional<std::filesystem::path> locate(std::string_view relative_path) const;

  std::filesystem::path root_;
  std::vector<std::filesystem::path> sources_;
  std::filesystem::path node_modules_;
};

std::string content_type_for(const std::filesystem::path& path);

}  // namespace aa::core
