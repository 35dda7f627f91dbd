#include "test_support.hpp"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <soci/mysql/soci-mysql.h>

#include "db/core_migrations.hpp"
#include "db/migrator.hpp"

namespace aa::test {
namespace fs = std::filesystem;

namespace {

std::string random_suffix() {
  static std::atomic<int> counter{0};
  std::random_device device;
  return std::to_string(device() % 1000000) + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
}

const char* mysql_socket() {
  const char* socket = std::getenv("AA_TEST_MYSQL_SOCKET");
  return socket && *socket ? socket : nullptr;
}

}  // namespace

TempDir::TempDir() {
  path_ = fs::temp_directory_path() / ("aa-test-" + random_suffix());
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::vector<std::string> backends() {
  std::vector<std::string> list{"sqlite3"};
  if (mysql_socket()) list.emplace_back("mysql");
  return list;
}

int redis_port() {
  const char* port = std::getenv("AA_TEST_REDIS_PORT");
  return port && *port ? std::atoi(port) : 0;
}

fs::path source_dir() { return AA_TEST_SOURCE_DIR; }
fs::path bin_dir() { return AA_TEST_BIN_DIR; }
fs::path test_plugin_dir() { return bin_dir().parent_path() / "test-plugins"; }

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

std::string instance_yaml(const fs::path& dir, const std::string& backend, const std::string& extra_yaml) {
  std::string yaml = "secret_key: \"test-secret-key-0123456789-abcdefghijklmnop\"\n"
                     "log:\n  console: false\n  level: debug\n";
  if (backend == "mysql") {
    if (!mysql_socket()) throw std::runtime_error("AA_TEST_MYSQL_SOCKET is not set");
    auto name = "aa_test_" + random_suffix();
    soci::session admin(soci::mysql, std::string("db=mysql user=root unix_socket=") + mysql_socket());
    admin << "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
    std::ofstream(dir / ".test-database") << name;
    yaml += "database:\n  backend: mysql\n  name: " + name + "\n  user: root\n  unix_socket: \"" +
            std::string(mysql_socket()) + "\"\n  pool_size: 8\n";
  } else {
    yaml += "database:\n  backend: sqlite3\n  name: var/test.sqlite3\n  pool_size: 8\n";
  }
  return yaml + extra_yaml;
}

void drop_database(const fs::path& dir) {
  std::ifstream in(dir / ".test-database");
  std::string name;
  if (!(in >> name) || !mysql_socket()) return;
  soci::session admin(soci::mysql, std::string("db=mysql user=root unix_socket=") + mysql_socket());
  admin << "DROP DATABASE IF EXISTS " + name;
}

TestDatabase::TestDatabase(const std::string& backend)
    : backend_(backend), config_(core::Config::from_string(instance_yaml(dir_.path(), backend), dir_.path())) {
  database_ = std::make_unique<core::SociDatabase>(core::database_options(config_));
  core::Migrator migrator(*database_);
  migrator.ensure_table();
  migrator.migrate(core::core_migrations(), std::nullopt);
  for (const auto& part : core::core_part_migrations()) migrator.migrate(part, std::nullopt);
}

TestDatabase::~TestDatabase() {
  database_.reset();
  drop_database(dir_.path());
}

}  // namespace aa::test
