// Helpers shared by the unit and integration tests: temporary directories,
// the database backends to run on, and a fresh migrated database.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "db/database.hpp"

namespace aa::test {

/// A directory under the system temp dir, removed with its contents at scope end.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// "sqlite3" always; "mysql" too when scripts/test started a MariaDB and
/// exported AA_TEST_MYSQL_SOCKET.
std::vector<std::string> backends();

/// The port of the Redis server scripts/test started (AA_TEST_REDIS_PORT),
/// or 0 when there is none.
int redis_port();

/// The source tree, for test data (tests/data/...).
std::filesystem::path source_dir();
/// The build tree's bin/ directory (the daemon, the emulator).
std::filesystem::path bin_dir();
/// The directory of the test plugins (tests/plugins), next to bin_dir().
std::filesystem::path test_plugin_dir();

/// True when `part` occurs in `text`.
bool contains(const std::string& text, const std::string& part);

/// The whole file as text; "" when it cannot be opened.
std::string read_file(const std::filesystem::path& path);

/// Polls `condition` every 50 ms until it holds or `timeout` passes;
/// returns its last value.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

/// A config for an instance in `dir` on `backend`. For mysql it creates a
/// new, empty database with a unique name, which the caller drops with
/// drop_database() when done. `extra_yaml` is appended to the file.
std::string instance_yaml(const std::filesystem::path& dir, const std::string& backend, const std::string& extra_yaml = {});
/// The database name instance_yaml chose for the last mysql config in `dir`.
void drop_database(const std::filesystem::path& dir);

/// A fresh database with every core migration applied; removed at scope end.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& backend);
  ~TestDatabase();

  core::SociDatabase& db() { return *database_; }
  const core::Config& config() const { return config_; }
  const std::string& backend() const { return backend_; }

 private:
  std::string backend_;
  TempDir dir_;
  core::Config config_;
  std::unique_ptr<core::SociDatabase> database_;
};

}  // namespace aa::test
