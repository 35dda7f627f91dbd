// The allianceauth command on bad input: every mistake gets a message that
// names it and a non-zero exit status, never an abort or an endless loop.
#include <doctest/doctest.h>

#include <fstream>

#include "harness.hpp"

using namespace aa::test;

namespace {

CommandResult allianceauth(const std::vector<std::string>& args, const std::string& input = {}) {
  if (input.empty()) return run_command((bin_dir() / "allianceauth").string(), args, {}, std::chrono::seconds(20));
  // sh feeds `input` on standard input; $0 is the program and "$@" its arguments.
  std::vector<std::string> shell{"-c", "printf '%s' \"$AA_TEST_INPUT\" | \"$0\" \"$@\"",
                                 (bin_dir() / "allianceauth").string()};
  shell.insert(shell.end(), args.begin(), args.end());
  return run_command("/bin/sh", shell, {"AA_TEST_INPUT=" + input}, std::chrono::seconds(20));
}

}  // namespace

TEST_CASE("cli: createsuperuser stops when its input ends") {
  TempDir dir;
  REQUIRE(allianceauth({"start", (dir.path() / "inst").string()}).status == 0);
  auto config = (dir.path() / "inst" / "allianceauth.yaml").string();
  REQUIRE(allianceauth({"--config", config, "migrate"}).status == 0);

  auto short_input = allianceauth({"--config", config, "createsuperuser"}, "root\n");
  CHECK(short_input.status == 1);
  CHECK(short_input.output.find("standard input ended") != std::string::npos);
  CHECK(short_input.output.size() < 4096);

  auto mismatch = allianceauth({"--config", config, "createsuperuser"}, "root\n\nlongpassword1\nlongpassword2\n");
  CHECK(mismatch.status == 1);
  CHECK(mismatch.output.find("didn't match") != std::string::npos);
}

TEST_CASE("cli: start refuses files, quotes and unwritable places") {
  TempDir dir;
  std::ofstream(dir.path() / "a-file") << "x";
  auto file = allianceauth({"start", (dir.path() / "a-file").string()});
  CHECK(file.status == 1);
  CHECK(file.output.find("is not a directory") != std::string::npos);
  auto quote = allianceauth({"start", (dir.path() / "a\"b").string()});
  CHECK(quote.status == 1);
  CHECK(quote.output.find("double quote") != std::string::npos);
  auto proc = allianceauth({"start", "/proc/aa-test-instance"});
  CHECK(proc.status == 1);
  CHECK(proc.output.find("start:") != std::string::npos);
}

TEST_CASE("cli: check reports what would stop the daemon") {
  TempDir dir;
  REQUIRE(allianceauth({"start", (dir.path() / "inst").string()}).status == 0);
  auto config_path = dir.path() / "inst" / "allianceauth.yaml";
  auto config = config_path.string();

  auto missing = allianceauth({"--config", config, "check"});
  CHECK(missing.status == 1);
  CHECK(missing.output.find("does not exist") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "inst" / "var" / "allianceauth.sqlite3"));

  // The sample config lists the timerboard; it has migrations of its own.
  REQUIRE(allianceauth({"--config", config, "migrate", "core"}).status == 0);
  auto pending = allianceauth({"--config", config, "check"});
  CHECK(pending.status == 1);
  CHECK(pending.output.find("pending migration: timerboard 1") != std::string::npos);
  REQUIRE(allianceauth({"--config", config, "migrate"}).status == 0);
  CHECK(allianceauth({"--config", config, "check"}).status == 0);

  std::ofstream(config_path, std::ios::app) << "server:\n  host: 999.1.1.1\n";
  auto duplicate = allianceauth({"--config", config, "check"});
  CHECK(duplicate.status == 1);
  CHECK(duplicate.output.find("server: appears twice") != std::string::npos);
}

TEST_CASE("cli: bad values the server cannot work with are rejected") {
  TempDir dir;
  REQUIRE(allianceauth({"start", (dir.path() / "inst").string()}).status == 0);
  auto config_path = dir.path() / "inst" / "allianceauth.yaml";
  std::ifstream in(config_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace("  host: 127.0.0.1\n  port: 8000", "  host: 999.1.1.1\n  port: 8000");
  replace("read_timeout_seconds: 30", "read_timeout_seconds: 0");
  replace("trusted_proxies: []", "trusted_proxies: [not-an-ip]");
  replace("age_seconds: 1209600", "age_seconds: -1");
  std::ofstream(config_path) << text;

  auto result = allianceauth({"--config", config_path.string(), "check"});
  CHECK(result.status == 1);
  for (const char* key : {"server.host", "server.read_timeout_seconds", "trusted_proxies", "session.age_seconds"}) {
    CAPTURE(std::string(key));
    CHECK(result.output.find(std::string("config: ") + key + ":") != std::string::npos);
  }
  auto serve = allianceauth({"--config", config_path.string(), "serve", "--port", "70000"});
  CHECK(serve.status == 2);
  CHECK(serve.output.find("0 to 65535") != std::string::npos);
}

TEST_CASE("cli: reverting core needs --yes and no plugin tables") {
  TempDir dir;
  REQUIRE(allianceauth({"start", (dir.path() / "inst").string()}).status == 0);
  auto config = (dir.path() / "inst" / "allianceauth.yaml").string();
  REQUIRE(allianceauth({"--config", config, "migrate"}).status == 0);

  auto blocked = allianceauth({"--config", config, "migrate", "core", "zero", "--yes"});
  CHECK(blocked.status == 1);
  CHECK(blocked.output.find("timerboard still have migrations applied") != std::string::npos);

  REQUIRE(allianceauth({"--config", config, "migrate", "timerboard", "zero"}).status == 0);
  auto unconfirmed = allianceauth({"--config", config, "migrate", "core", "zero"});
  CHECK(unconfirmed.status == 1);
  CHECK(unconfirmed.output.find("add --yes") != std::string::npos);
  CHECK(allianceauth({"--config", config, "check"}).status == 1);  // timerboard is pending again

  auto confirmed = allianceauth({"--config", config, "migrate", "core", "zero", "--yes"});
  CHECK(confirmed.status == 0);
  CHECK(confirmed.output.find("Reverted core 1") != std::string::npos);
}

TEST_CASE("cli: grant and revoke permissions") {
  Emulator emulator;
  Daemon daemon("sqlite3", emulator, "plugins:\n  timerboard: {}\n");
  Browser browser(daemon.base_url());
  REQUIRE(sso_flow(browser, 2112000001).status == 302);
  CHECK(browser.get("/timers/").status == 403);

  auto granted = daemon.cli({"grant", "auth.timer_view", "--state", "Guest"});
  CHECK(granted.status == 0);
  CHECK(granted.output.find("Granted auth.timer_view to Guest") != std::string::npos);
  CHECK(browser.get("/timers/").status == 200);
  CHECK(daemon.cli({"grant", "auth.timer_view", "--state", "Guest"}).output.find("already granted") !=
        std::string::npos);

  auto unknown = daemon.cli({"grant", "auth.no_such", "--state", "Guest"});
  CHECK(unknown.status == 1);
  CHECK(unknown.output.find("no permission auth.no_such") != std::string::npos);
  auto nobody = daemon.cli({"grant", "auth.timer_view", "--user", "nobody"});
  CHECK(nobody.status == 1);
  CHECK(nobody.output.find("no user named 'nobody'") != std::string::npos);

  CHECK(daemon.cli({"revoke", "auth.timer_view", "--state", "Guest"}).status == 0);
  CHECK(browser.get("/timers/").status == 403);
  auto listed = daemon.cli({"permissions"});
  CHECK(listed.output.find("auth.timer_management") != std::string::npos);
}
