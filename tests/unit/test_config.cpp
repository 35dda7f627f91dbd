// Config: loading allianceauth.yaml, ${VAR} expansion, the getters, and
// validate() naming the key path of every problem.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "tasks/task_setup.hpp"
#include "test_support.hpp"

using namespace aa::core;

namespace {

const std::string kSecret = "secret_key: \"0123456789abcdef0123456789abcdef\"\n";

using PluginSettings = std::vector<std::pair<std::string, std::vector<aa::SettingDecl>>>;

std::string default_config_text() {
  std::ifstream in(aa::test::source_dir() / "etc" / "allianceauth.yaml");
  REQUIRE(in.good());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<ConfigProblem> problems_of(const std::string& yaml, const PluginSettings& plugins = {}) {
  return Config::from_string(yaml, "/srv/aa").validate(plugins);
}

// The message of the problem at `key`, or "" when there is none.
std::string problem_at(const std::vector<ConfigProblem>& problems, const std::string& key) {
  for (const auto& problem : problems) {
    if (problem.key == key) return problem.message.empty() ? "(empty message)" : problem.message;
  }
  return {};
}

std::string keys_of(const std::vector<ConfigProblem>& problems) {
  std::string keys;
  for (const auto& problem : problems) keys += problem.key + ": " + problem.message + "\n";
  return keys;
}

// Sets an environment variable for one test and removes it afterwards.
struct ScopedEnv {
  ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ~ScopedEnv() { unsetenv(name_); }
  const char* name_;
};

PluginSettings timerboard_settings() {
  return {{"timerboard",
           {{"max_rows", aa::SettingDecl::Type::integer, "100", "Rows per page"},
            {"show_corp_timers", aa::SettingDecl::Type::boolean, "true", "Show corporation timers"}}}};
}

}  // namespace

TEST_CASE("config: default file validates") {
  auto text = default_config_text();

  // As shipped, the only problem is the empty secret_key that `start` fills in.
  auto problems = problems_of(text, {{"timerboard", {}}});
  INFO(keys_of(problems));
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].key == "secret_key");
  CHECK(problems[0].message.find("at least 32 characters") != std::string::npos);

  auto position = text.find("secret_key: \"\"");
  REQUIRE(position != std::string::npos);
  text.replace(position, std::string("secret_key: \"\"").size(), kSecret.substr(0, kSecret.size() - 1));
  aa::test::TempDir dir;
  std::ofstream(dir.path() / "allianceauth.yaml") << text;

  auto config = Config::load(dir.path() / "allianceauth.yaml");
  problems = config.validate({{"timerboard", {}}});
  INFO(keys_of(problems));
  CHECK(problems.empty());
  CHECK(config.file() == dir.path() / "allianceauth.yaml");
  CHECK(config.instance_dir() == dir.path());
  CHECK(config.get_int("server.port") == 8000);
  CHECK(config.get_bool("debug") == false);
  CHECK(config.get_string("site_url") == "http://127.0.0.1:8000");
  CHECK(config.get_list("sso.issuers") == std::vector<std::string>{"login.eveonline.com", "https://login.eveonline.com"});
  CHECK(config.path("database.name") == dir.path() / "var" / "allianceauth.sqlite3");
  CHECK(config.plugin_names() == std::vector<std::string>{"timerboard"});
}

TEST_CASE("config: defaults fill missing keys") {
  auto config = Config::from_string(kSecret, "/srv/aa");
  CHECK(problems_of(kSecret).empty());
  CHECK(config.get_int("server.port") == 8000);
  CHECK(config.get_int("session.age_seconds") == 1209600);
  CHECK(config.get_string("esi.base_url") == "https://esi.evetech.net/latest");
  CHECK(config.get_list("languages") == std::vector<std::string>{"en", "de", "es", "zh-hans"});
  CHECK(config.get_list("trusted_proxies").empty());
  CHECK_FALSE(config.get_string("no.such.key").has_value());
  CHECK(config.path("paths.log") == std::filesystem::path("/srv/aa/log"));

  auto absolute = Config::from_string(kSecret + "paths:\n  log: /var/log/aa\n", "/srv/aa");
  CHECK(absolute.path("paths.log") == std::filesystem::path("/var/log/aa"));
}

TEST_CASE("config: unknown key names its path") {
  auto problems = problems_of(kSecret + "server:\n  prot: 8000\ndatabse:\n  name: x\nsso:\n  extra:\n    deep: 1\n");
  INFO(keys_of(problems));
  CHECK(problems.size() == 3);
  CHECK(problem_at(problems, "server.prot").find("unknown key") != std::string::npos);
  CHECK(problem_at(problems, "databse").find("unknown key") != std::string::npos);
  CHECK(problem_at(problems, "sso.extra").find("unknown key") != std::string::npos);
}

TEST_CASE("config: empty section uses defaults") {
  // Every key of a section commented out leaves the section null.
  auto yaml = kSecret + "server:\n  # port: 8000\nesi:\n";
  auto problems = problems_of(yaml);
  INFO(keys_of(problems));
  CHECK(problems.empty());
  CHECK(Config::from_string(yaml, "/srv/aa").get_int("server.port") == 8000);
}

TEST_CASE("config: wrong types name the key") {
  auto problems = problems_of(kSecret +
                              "server:\n  port: abc\n"
                              "trusted_proxies: 127.0.0.1\n"
                              "debug: maybe\n"
                              "languages: [en, [de]]\n"
                              "log: verbose\n"
                              "site_name: [a, b]\n");
  INFO(keys_of(problems));
  CHECK(problems.size() == 6);
  CHECK(problem_at(problems, "server.port").find("whole number, not 'abc'") != std::string::npos);
  CHECK(problem_at(problems, "trusted_proxies").find("must be a list") != std::string::npos);
  CHECK(problem_at(problems, "debug").find("true or false, not 'maybe'") != std::string::npos);
  CHECK(problem_at(problems, "languages").find("list of text values") != std::string::npos);
  CHECK(problem_at(problems, "log").find("section") != std::string::npos);
  CHECK(problem_at(problems, "site_name").find("text value") != std::string::npos);
}

TEST_CASE("config: value rules name the key") {
  auto problems = problems_of(kSecret +
                              "site_url: \"not a url\"\n"
                              "esi:\n  base_url: \"ftp://esi.evetech.net/latest\"\n"
                              "sso:\n  metadata_url: \"http://\"\n  callback_url: \"/sso/callback\"\n"
                              "server:\n  port: 70000\n  worker_threads: 0\n"
                              "database:\n  backend: postgres\n"
                              "log:\n  level: loud\n"
                              "language: fr\n");
  INFO(keys_of(problems));
  CHECK(problems.size() == 9);
  CHECK(problem_at(problems, "site_url").find("'not a url'") != std::string::npos);
  CHECK(problem_at(problems, "esi.base_url").find("http:// or https://") != std::string::npos);
  CHECK(problem_at(problems, "sso.metadata_url").find("'http://'") != std::string::npos);
  CHECK(problem_at(problems, "sso.callback_url").find("'/sso/callback'") != std::string::npos);
  CHECK(problem_at(problems, "server.port").find("70000") != std::string::npos);
  CHECK(problem_at(problems, "server.worker_threads").find("between 1 and 256") != std::string::npos);
  CHECK(problem_at(problems, "database.backend").find("'postgres'") != std::string::npos);
  CHECK(problem_at(problems, "log.level").find("'loud'") != std::string::npos);
  CHECK(problem_at(problems, "language").find("'fr'") != std::string::npos);

  // https URLs with a path and port, and an empty callback (derived from site_url), pass.
  CHECK(problems_of(kSecret + "site_url: \"https://auth.example.com:8443\"\n"
                              "esi:\n  base_url: \"https://esi.evetech.net/latest\"\n"
                              "sso:\n  callback_url: \"\"\n")
            .empty());
}

TEST_CASE("config: pool larger than database threads") {
  auto pool_problem = [](const std::string& yaml) {
    std::vector<ConfigProblem> problems;
    aa::core::check_task_settings(Config::from_string(kSecret + yaml, "/srv/aa"), problems);
    return problem_at(problems, "database.pool_size");
  };

  // 4 view threads and 2 embedded task threads need 7 connections.
  auto problem = pool_problem("database:\n  pool_size: 6\n");
  CHECK(problem.find("at least 7") != std::string::npos);
  CHECK(problem.find("not 6") != std::string::npos);
  CHECK(pool_problem("database:\n  pool_size: 7\n").empty());

  // Without embedded task threads only the view threads count.
  CHECK(pool_problem("tasks:\n  backend: redis\ndatabase:\n  pool_size: 5\n").empty());
  CHECK(pool_problem("tasks:\n  backend: redis\ndatabase:\n  pool_size: 4\n").find("at least 5") !=
        std::string::npos);
  CHECK(!pool_problem("server:\n  worker_threads: 16\n").empty());
}

TEST_CASE("config: email.ca_file must name an existing file by absolute path") {
  aa::test::TempDir dir;
  auto pem = dir.path() / "ca.pem";
  std::ofstream(pem) << "-----BEGIN CERTIFICATE-----\n";

  CHECK(problems_of(kSecret + "email:\n  ca_file: \"" + pem.string() + "\"\n").empty());
  CHECK(problems_of(kSecret + "email:\n  ca_file: \"\"\n").empty());

  auto relative = problems_of(kSecret + "email:\n  ca_file: \"certs/ca.pem\"\n");
  CHECK(problem_at(relative, "email.ca_file").find("absolute path") != std::string::npos);
  CHECK(problem_at(relative, "email.ca_file").find("'certs/ca.pem'") != std::string::npos);

  auto missing_path = (dir.path() / "missing.pem").string();
  auto missing = problems_of(kSecret + "email:\n  ca_file: \"" + missing_path + "\"\n");
  CHECK(problem_at(missing, "email.ca_file").find("'" + missing_path + "'") != std::string::npos);
  auto directory = problems_of(kSecret + "email:\n  ca_file: \"" + dir.path().string() + "\"\n");
  CHECK(problem_at(directory, "email.ca_file").find("must name an existing file") != std::string::npos);
}

TEST_CASE("config: activation mail limits have minimums") {
  auto problems = problems_of(kSecret +
                              "registration:\n  activation_mail_interval_minutes: -1\n"
                              "  activation_mails_per_day: 0\n");
  INFO(keys_of(problems));
  CHECK(problem_at(problems, "registration.activation_mail_interval_minutes").find("at least 0") !=
        std::string::npos);
  CHECK(problem_at(problems, "registration.activation_mails_per_day").find("at least 1") != std::string::npos);
  CHECK(problems_of(kSecret + "registration:\n  activation_mail_interval_minutes: 0\n").empty());
}

TEST_CASE("config: short secret key is rejected") {
  auto short_key = problems_of("secret_key: \"" + std::string(31, 'k') + "\"\n");
  CHECK(problem_at(short_key, "secret_key").find("at least 32 characters") != std::string::npos);
  CHECK(problem_at(problems_of(""), "secret_key").find("at least 32 characters") != std::string::npos);
  CHECK(problems_of("secret_key: \"" + std::string(32, 'k') + "\"\n").empty());
}

TEST_CASE("config: plugin settings are checked") {
  auto problems = problems_of(kSecret +
                                  "plugins:\n"
                                  "  timerboard:\n    max_rows: ten\n    colour: red\n"
                                  "  srp:\n    anything: 1\n",
                              timerboard_settings());
  INFO(keys_of(problems));
  CHECK(problems.size() == 2);
  CHECK(problem_at(problems, "plugins.timerboard.max_rows").find("whole number") != std::string::npos);
  auto unknown = problem_at(problems, "plugins.timerboard.colour");
  CHECK(unknown.find("unknown key") != std::string::npos);
  CHECK(unknown.find("timerboard") != std::string::npos);
  // srp declared nothing (it did not load), so its settings are not checked here.
  CHECK(problem_at(problems, "plugins.srp.anything").empty());

  problems = problems_of(kSecret + "plugins:\n  timerboard: 5\n", timerboard_settings());
  CHECK(problem_at(problems, "plugins.timerboard").find("map of that plugin's settings") != std::string::npos);
  problems = problems_of(kSecret + "plugins: timerboard\n", timerboard_settings());
  CHECK(problem_at(problems, "plugins").find("list of plugin names or a map") != std::string::npos);
}

TEST_CASE("config: plugin defaults and values") {
  auto config = Config::from_string(kSecret + "plugins:\n  timerboard:\n    max_rows: 25\n", "/srv/aa");
  CHECK(config.get_int("plugins.timerboard.max_rows") == 25);
  CHECK_FALSE(config.get_bool("plugins.timerboard.show_corp_timers").has_value());

  config.add_plugin_defaults("timerboard", timerboard_settings()[0].second);
  CHECK(config.get_int("plugins.timerboard.max_rows") == 25);
  CHECK(config.get_bool("plugins.timerboard.show_corp_timers") == true);
  CHECK(problems_of(kSecret + "plugins:\n  timerboard:\n    max_rows: 25\n", timerboard_settings()).empty());
}

TEST_CASE("config: plugins as a list or a map") {
  auto list = Config::from_string(kSecret + "plugins: [timerboard, srp, fleetactivitytracking]\n", "/srv/aa");
  CHECK(list.plugin_names() == std::vector<std::string>{"timerboard", "srp", "fleetactivitytracking"});
  CHECK(list.validate({}).empty());

  auto map = Config::from_string(kSecret + "plugins:\n  srp:\n  timerboard:\n    max_rows: 5\n", "/srv/aa");
  CHECK(map.plugin_names() == std::vector<std::string>{"srp", "timerboard"});
  CHECK(map.validate(timerboard_settings()).empty());

  CHECK(Config::from_string(kSecret, "/srv/aa").plugin_names().empty());
  CHECK(Config::from_string(kSecret + "plugins:\n", "/srv/aa").plugin_names().empty());
}

TEST_CASE("config: plugin list items must be names") {
  // A map item inside the list, as when list and map forms are mixed.
  auto config = Config::from_string(kSecret + "plugins:\n  - timerboard\n  - srp:\n      max_rows: 5\n", "/srv/aa");
  auto problems = config.validate({});
  INFO(keys_of(problems));
  CHECK(problem_at(problems, "plugins[1]").find("plugin name") != std::string::npos);
  std::vector<std::string> names;
  CHECK_NOTHROW(names = config.plugin_names());
  CHECK(names == std::vector<std::string>{"timerboard"});
}

TEST_CASE("config: environment variables expand") {
  ScopedEnv secret("AA_TEST_SECRET", "from-the-environment-0123456789abcdef");
  ScopedEnv port("AA_TEST_PORT", "8123");
  ScopedEnv proxy("AA_TEST_PROXY", "10.0.0.1");

  auto config = Config::from_string("secret_key: \"${AA_TEST_SECRET}\"\n"
                                    "server:\n  port: ${AA_TEST_PORT}\n"
                                    "trusted_proxies: [\"${AA_TEST_PROXY}\", 127.0.0.1]\n"
                                    "site_url: \"http://auth-${AA_TEST_PORT}.example.com\"\n"
                                    "database:\n  password: \"pa$$word$${AA_TEST_PORT}\"\n"
                                    "site_name: \"Price: $5\"\n",
                                    "/srv/aa");
  CHECK(config.get_string("secret_key") == "from-the-environment-0123456789abcdef");
  CHECK(config.get_int("server.port") == 8123);
  CHECK(config.get_list("trusted_proxies") == std::vector<std::string>{"10.0.0.1", "127.0.0.1"});
  CHECK(config.get_string("site_url") == "http://auth-8123.example.com");
  // "$$" is a literal "$", so "$${...}" is not expanded.
  CHECK(config.get_string("database.password") == "pa$word${AA_TEST_PORT}");
  CHECK(config.get_string("site_name") == "Price: $5");
  CHECK(config.validate({}).empty());
}

TEST_CASE("config: missing variable is named") {
  unsetenv("AA_TEST_UNSET_VARIABLE");
  CHECK_THROWS_WITH_AS(Config::from_string("secret_key: \"${AA_TEST_UNSET_VARIABLE}\"\n", "/srv/aa"),
                       doctest::Contains("AA_TEST_UNSET_VARIABLE"), std::runtime_error);
  CHECK_THROWS_WITH_AS(expand_environment("x ${AA_TEST_NO_CLOSE"), doctest::Contains("unclosed ${"),
                       std::runtime_error);

  // Config::load names the file too.
  aa::test::TempDir dir;
  auto file = dir.path() / "allianceauth.yaml";
  std::ofstream(file) << "database:\n  password: ${AA_TEST_UNSET_VARIABLE}\n";
  CHECK_THROWS_WITH_AS(Config::load(file), doctest::Contains(file.string().c_str()), std::runtime_error);
  CHECK_THROWS_WITH_AS(Config::load(file), doctest::Contains("AA_TEST_UNSET_VARIABLE"), std::runtime_error);
  CHECK_THROWS_WITH_AS(Config::load(dir.path() / "missing.yaml"), doctest::Contains("missing.yaml"),
                       std::runtime_error);
}

TEST_CASE("config: YAML errors name the file") {
  aa::test::TempDir dir;
  auto file = dir.path() / "allianceauth.yaml";
  std::ofstream(file) << "server:\n  port: [8000\n";
  CHECK_THROWS_WITH_AS(Config::load(file), doctest::Contains(file.string().c_str()), std::runtime_error);
  CHECK_THROWS_WITH_AS(Config::from_string("- a\n- b\n", "/srv/aa"), doctest::Contains("top level must be a map"),
                       std::runtime_error);
}
