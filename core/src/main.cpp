// allianceauth: one binary for every verb (start, serve, worker, beat, call,
// migrate, check, createsuperuser, changepassword, collectstatic, plugins).
#include <curl/curl.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "aa/version.hpp"
#include "cli/commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: allianceauth [--config FILE] VERB [ARGS]

Verbs:
  start DIR            create an instance directory with a commented allianceauth.yaml
  serve                run the web daemon (and, with the embedded task backend,
                       the task workers and the scheduler)
  worker [--concurrency N] [--queues NAME,NAME]
                       run tasks; SIGTERM lets running tasks finish first
  beat                 run the scheduler of `schedule:` entries
  call [--now] [--priority N] [--countdown S] [--queue NAME] TASK [JSON_ARGS]
                       enqueue a task (or run it here with --now);
                       call --list lists the registered tasks
  migrate [NAME [N|zero]] [--yes]
                       apply pending migrations; with NAME only that plugin's,
                       up or down to migration N (zero removes its tables;
                       reverting core needs --yes)
  check                validate the configuration and the database connection
  createsuperuser      create a superuser (interactive, or --username U --email E
                       --password-env VAR --noinput for scripts)
  changepassword USER  set a user's password
  collectstatic        copy static files into paths.static_root
  plugins              list configured plugins with their status
  permissions          list every permission code
  grant CODE (--state NAME | --group NAME | --user NAME)
  revoke CODE (--state NAME | --group NAME | --user NAME)
                       give or take a permission

--config FILE defaults to $AA_CONFIG, then ./allianceauth.yaml.
)";

int run_verb(const std::string& verb, const aa::core::cli::GlobalOptions& options, const std::vector<std::string>& args);

}  // namespace

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  aa::core::cli::GlobalOptions options;
  if (const char* env = std::getenv("AA_CONFIG")) options.config_path = env;
  if (options.config_path.empty()) options.config_path = "allianceauth.yaml";

  std::vector<std::string> args(argv + 1, argv + argc);
  while (!args.empty() && args.front().starts_with("--")) {
    if (args.front() == "--version") {
      std::cout << "allianceauth " << aa::kVersion << " (SDK ABI " << aa::kSdkAbiVersion << ")\n";
      return 0;
    }
    if (args.front() == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (args.front() == "--config" && args.size() >= 2) {
      options.config_path = args[1];
      args.erase(args.begin(), args.begin() + 2);
      continue;
    }
    std::cerr << "unknown option " << args.front() << "\n" << kUsage;
    return 2;
  }
  if (args.empty()) {
    std::cerr << kUsage;
    return 2;
  }

  auto verb = args.front();
  args.erase(args.begin());
  // A verb reports the problems it expects itself; anything else (a damaged
  // database, a filesystem error) ends here with its message, not an abort.
  try {
    return run_verb(verb, options, args);
  } catch (const std::exception& error) {
    std::cerr << verb << ": " << error.what() << "\n";
    return 1;
  }
}

namespace {

int run_verb(const std::string& verb, const aa::core::cli::GlobalOptions& options, const std::vector<std::string>& args) {
  namespace cli = aa::core::cli;
  if (verb == "start") return cli::start(args);
  if (verb == "serve") return cli::serve(options, args);
  if (verb == "migrate") return cli::migrate(options, args);
  if (verb == "check") return cli::check(options, args);
  if (verb == "createsuperuser") return cli::createsuperuser(options, args);
  if (verb == "changepassword") return cli::changepassword(options, args);
  if (verb == "collectstatic") return cli::collectstatic(options, args);
  if (verb == "plugins") return cli::plugins(options, args);
  if (verb == "permissions") return cli::permissions(options, args);
  if (verb == "grant") return cli::grant(options, args);
  if (verb == "revoke") return cli::revoke(options, args);
  if (verb == "worker") return cli::worker(options, args);
  if (verb == "beat") return cli::beat(options, args);
  if (verb == "call") return cli::call(options, args);
  if (verb == "help") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "unknown verb '" << verb << "'\n" << kUsage;
  return 2;
}

}  // namespace
