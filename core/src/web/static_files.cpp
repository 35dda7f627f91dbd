#include "web/static_files.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

namespace aa::core {
namespace {

namespace fs = std::filesystem;

// A relative path is accepted only if every segment is a plain name: no
// "..", no ".", no empty segment, no backslash or NUL.
bool is_safe_relative(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    auto segment = path.substr(start, slash - start);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (segment.find('\\') != std::string_view::npos || segment.find('\0') != std::string_view::npos) return false;
    start = slash + 1;
  }
  return true;
}

std::optional<fs::path> existing_file(const fs::path& dir, std::string_view relative) {
  auto candidate = dir / fs::path(relative);
  std::error_code ec;
  if (!fs::is_regular_file(candidate, ec)) return std::nullopt;
  return candidate;
}

long long mtime_seconds(const fs::path& path) {
  std::error_code ec;
  auto time = fs::last_write_time(path, ec);
  if (ec) return 0;
  auto system = std::chrono::file_clock::to_sys(time);
  return std::chrono::duration_cast<std::chrono::seconds>(system.time_since_epoch()).count();
}

}  // namespace

const std::vector<VendorFile>& vendor_files() {
  static const std::vector<VendorFile> kFiles{
      {"bootstrap/dist/css/bootstrap.min.css", "vendor/bootstrap/css/bootstrap.min.css"},
      {"bootstrap/dist/css/bootstrap.min.css.map", "vendor/bootstrap/css/bootstrap.min.css.map"},
      {"bootstrap/dist/js/bootstrap.bundle.min.js", "vendor/bootstrap/js/bootstrap.bundle.min.js"},
      {"bootstrap/dist/js/bootstrap.bundle.min.js.map", "vendor/bootstrap/js/bootstrap.bundle.min.js.map"},
      {"@fortawesome/fontawesome-free/css/all.min.css", "vendor/fontawesome/css/all.min.css"},
      {"@fortawesome/fontawesome-free/webfonts/fa-solid-900.woff2", "vendor/fontawesome/webfonts/fa-solid-900.woff2"},
      {"@fortawesome/fontawesome-free/webfonts/fa-solid-900.ttf", "vendor/fontawesome/webfonts/fa-solid-900.ttf"},
      {"@fortawesome/fontawesome-free/webfonts/fa-regular-400.woff2", "vendor/fontawesome/webfonts/fa-regular-400.woff2"},
      {"@fortawesome/fontawesome-free/webfonts/fa-regular-400.ttf", "vendor/fontawesome/webfonts/fa-regular-400.ttf"},
      {"@fortawesome/fontawesome-free/webfonts/fa-brands-400.woff2", "vendor/fontawesome/webfonts/fa-brands-400.woff2"},
      {"@fortawesome/fontawesome-free/webfonts/fa-brands-400.ttf", "vendor/fontawesome/webfonts/fa-brands-400.ttf"},
      {"jquery/dist/jquery.min.js", "vendor/jquery/jquery.min.js"},
      {"datatables.net/js/dataTables.min.js", "vendor/datatables/js/dataTables.min.js"},
      {"datatables.net-bs5/js/dataTables.bootstrap5.min.js", "vendor/datatables/js/dataTables.bootstrap5.min.js"},
      {"datatables.net-bs5/css/dataTables.bootstrap5.min.css", "vendor/datatables/css/dataTables.bootstrap5.min.css"},
  };
  return kFiles;
}

std::string content_type_for(const fs::path& path) {
  static const std::map<std::string, std::string> kTypes{
      {".css", "text/css; charset=utf-8"},   {".js", "text/javascript; charset=utf-8"},
      {".map", "application/json"},          {".json", "application/json"},
      {".png", "image/png"},                 {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},               {".gif", "image/gif"},
      {".svg", "image/svg+xml"},             {".ico", "image/x-icon"},
      {".webp", "image/webp"},               {".woff", "font/woff"},
      {".woff2", "font/woff2"},              {".ttf", "font/ttf"},
      {".eot", "application/vnd.ms-fontobject"}, {".txt", "text/plain; charset=utf-8"},
      {".html", "text/html; charset=utf-8"},
  };
  auto it = kTypes.find(path.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

StaticFiles::StaticFiles(fs::path root, std::vector<fs::path> sources, fs::path node_modules)
    : root_(std::move(root)), sources_(std::move(sources)), node_modules_(std::move(node_modules)) {}

std::optional<fs::path> StaticFiles::locate(std::string_view relative) const {
  if (!is_safe_relative(relative)) return std::nullopt;
  if (auto found = existing_file(root_, relative)) return found;
  for (const auto& dir : sources_) {
    if (auto found = existing_file(dir, relative)) return found;
  }
  for (const auto& vendor : vendor_files()) {
    if (vendor.static_path == relative) return existing_file(node_modules_, vendor.package_path);
  }
  return std::nullopt;
}

std::optional<StaticFile> StaticFiles::find(std::string_view relative) const {
  auto path = locate(relative);
  if (!path) return std::nullopt;
  std::ifstream in(*path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();

  StaticFile file;
  file.body = buffer.str();
  file.content_type = content_type_for(*path);
  file.last_modified = mtime_seconds(*path);
  file.etag = "\"" + std::to_string(file.last_modified) + "-" + std::to_string(file.body.size()) + "\"";
  return file;
}

int StaticFiles::collect() const {
  int copied = 0;
  auto copy_one = [&](const fs::path& from, const fs::path& relative) {
    auto to = root_ / relative;
    if (fs::exists(to) && fs::exists(from) && fs::last_write_time(to) >= fs::last_write_time(from) &&
        fs::file_size(to) == fs::file_size(from)) {
      return;
    }
    fs::create_directories(to.parent_path());
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    ++copied;
  };

  // Earlier sources win, so walk them in order and skip paths already taken.
  std::map<fs::path, fs::path> chosen;
  for (const auto& dir : sources_) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::follow_directory_symlink);
         it != fs::recursive_directory_iterator(); ++it) {
      if (!it->is_regular_file()) continue;
      auto relative = fs::relative(it->path(), dir);
      chosen.emplace(relative, it->path());
    }
  }
  for (const auto& vendor : vendor_files()) {
    auto from = node_modules_ / vendor.package_path;
    if (!fs::is_regular_file(from)) {
      throw std::runtime_error("front-end file " + from.string() +
                               " is missing; run `npm ci` in the source directory (scripts/run does it)");
    }
    chosen.emplace(vendor.static_path, from);
  }
  for (const auto& [relative, from] : chosen) copy_one(from, relative);
  return copied;
}

}  // namespace aa::core
