// Runs the real allianceauth binary on an instance whose config lists the
// good test plugin among bad ones: `plugins` must report each with its
// status and reason, and `migrate` and `serve` must work with the good one.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "aa/http_client.hpp"
#include "child_process.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;

namespace {

// tests/plugins/CMakeLists.txt builds the test plugins here.
fs::path test_plugin_dir() { return aa::test::bin_dir().parent_path() / "test-plugins"; }

std::string daemon() { return (aa::test::bin_dir() / "allianceauth").string(); }

// An instance directory with a config that loads `plugins` from the test
// plugin directory. test_good may serve its page without a login.
struct Instance {
  explicit Instance(const std::vector<std::string>& plugins) {
    std::string extra = "plugin_dirs:\n  - \"" + test_plugin_dir().string() + "\"\nplugins:\n";
    for (const auto& plugin : plugins) extra += "  - " + plugin + "\n";
    extra += "apps_with_public_views: [test_good]\n";
    for (const char* sub : {"log", "var"}) fs::create_directories(dir.path() / sub);
    std::ofstream(config) << aa::test::instance_yaml(dir.path(), "sqlite3", extra);
  }

  aa::test::CommandResult run(const std::vector<std::string>& verb_and_args) const {
    std::vector<std::string> args{"--config", config.string()};
    args.insert(args.end(), verb_and_args.begin(), verb_and_args.end());
    return aa::test::run_command(daemon(), args, {}, std::chrono::seconds(60));
  }

  aa::test::TempDir dir;
  fs::path config = dir.path() / "allianceauth.yaml";
};

// Splits the output of `allianceauth plugins` into one block per plugin: its
// "NAME  STATUS ..." line and the indented "reason:" line below it, if any.
std::map<std::string, std::string> plugin_blocks(const std::string& output) {
  std::map<std::string, std::string> blocks;
  std::istringstream lines(output);
  std::string line;
  std::string current;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (line[0] != ' ') {
      current = line.substr(0, line.find(' '));
      blocks[current] = line + "\n";
    } else if (!current.empty()) {
      blocks[current] += line + "\n";
    }
  }
  return blocks;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("plugins verb lists each plugin with its reason") {
  Instance instance({"test_good", "test_throws", "test_abi_mismatch", "test_garbage", "test_not_plugin",
                     "test_missing", "test_duplicate_url"});

  auto result = instance.run({"plugins"});

  INFO(result.output);
  CHECK(result.status == 1);
  auto blocks = plugin_blocks(result.output);
  CHECK(blocks.size() == 7);

  const auto& good = blocks["test_good"];
  CHECK(good.starts_with("test_good  loaded  1.2.3  " + (test_plugin_dir() / "test_good.so").string() + "\n"));
  CHECK_FALSE(contains(good, "reason:"));

  struct Case {
    std::string name;
    std::string reason;
  };
  const std::vector<Case> failures{
      {"test_throws", "reason: register_hooks failed: test_throws: the widget count setting is invalid"},
      {"test_abi_mismatch", "reason: built against SDK ABI version"},
      {"test_garbage", "invalid ELF header"},
      {"test_not_plugin", "reason: not an Alliance Auth plugin"},
      {"test_missing", "reason: no test_missing.so in the plugin directories: " + test_plugin_dir().string()},
      {"test_duplicate_url", "duplicate URL name 'test_good:index', already registered by plugin test_good"},
  };
  for (const auto& failure : failures) {
    CAPTURE(failure.name);
    const auto& block = blocks[failure.name];
    CHECK(block.starts_with(failure.name + "  failed"));
    CHECK(contains(block, failure.reason));
  }
  CHECK(contains(blocks["test_missing"], "(not found)"));
  CHECK(contains(blocks["test_garbage"], (test_plugin_dir() / "test_garbage.so").string()));
}

TEST_CASE("plugins verb exits 0 when all load") {
  Instance instance({"test_good"});

  auto result = instance.run({"plugins"});

  INFO(result.output);
  CHECK(result.status == 0);
  CHECK(contains(result.output, "test_good  loaded"));
}

TEST_CASE("serve runs the good plugin beside failures") {
  Instance instance({"test_throws", "test_good", "test_abi_mismatch", "test_missing", "test_duplicate_permission"});

  auto migrated = instance.run({"migrate"});
  INFO(migrated.output);
  REQUIRE(migrated.status == 0);
  CHECK(contains(migrated.output, "Applied test_good 1 create test_good_things"));

  aa::test::ChildProcess daemon_process(daemon(), {"--config", instance.config.string(), "serve", "--port", "0"},
                                        {}, (instance.dir.path() / "serve.stderr").string());
  auto port = daemon_process.wait_for_line(std::regex(R"(running at http://127\.0\.0\.1:(\d+)/)"),
                                           std::chrono::seconds(30));
  INFO(daemon_process.output());
  REQUIRE(port);
  std::string base = "http://127.0.0.1:" + *port;

  auto good = aa::http_send({.url = base + "/test-good/", .timeout = std::chrono::seconds(10)});
  CHECK(good.status == 200);
  CHECK(good.body == "test_good index");

  // The failed plugins registered routes under these paths before failing.
  auto throws = aa::http_send({.url = base + "/test-throws/", .timeout = std::chrono::seconds(10)});
  CHECK(throws.status == 404);
  auto duplicate = aa::http_send({.url = base + "/test-duplicate-permission/", .timeout = std::chrono::seconds(10)});
  CHECK(duplicate.status == 404);

  CHECK(daemon_process.stop() == 0);
}
