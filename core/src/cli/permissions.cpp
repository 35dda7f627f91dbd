#include <iostream>

#include "aa/db.hpp"
#include "auth/grants.hpp"
#include "cli/bootstrap.hpp"

namespace aa::core::cli {
namespace {

constexpr const char* kGrantUsage =
    "usage: allianceauth grant|revoke PERMISSION (--state NAME | --group NAME | --user NAME)\n"
    "       e.g. allianceauth grant auth.timer_view --state Member\n";

// Opens the app with the permissions of every plugin in the database: the
// daemon writes them at start, and so does this.
std::unique_ptr<App> open_for_permissions(const GlobalOptions& options) {
  auto app = bootstrap_migrated(options);
  if (!app) return nullptr;
  app->sync_permissions();
  return app;
}

int change_grant(const GlobalOptions& options, const std::vector<std::string>& args, bool grant) {
  if (args.size() != 3) {
    std::cerr << kGrantUsage;
    return 2;
  }
  Grantee kind;
  if (args[1] == "--state") {
    kind = Grantee::state;
  } else if (args[1] == "--group") {
    kind = Grantee::group;
  } else if (args[1] == "--user") {
    kind = Grantee::user;
  } else {
    std::cerr << "'" << args[1] << "' is not --state, --group or --user\n" << kGrantUsage;
    return 2;
  }

  auto app = open_for_permissions(options);
  if (!app) return 1;
  soci::session sql(app->db().pool());
  std::vector<SignalEvent> events;
  try {
    aa::WriteTransaction transaction(sql);
    bool changed = grant ? grant_permission(sql, args[0], kind, args[2], events)
                         : revoke_permission(sql, args[0], kind, args[2], events);
    transaction.commit();
    if (!changed) {
      std::cout << args[0] << (grant ? " was already granted to " : " was not granted to ") << args[2] << "\n";
      return 0;
    }
  } catch (const std::invalid_argument& error) {
    std::cerr << error.what() << "\n";
    return 1;
  }
  core_log().info("permission {} {} {} from the command line", args[0], grant ? "granted to" : "revoked from", args[2]);
  // The reactions run in this process, as they would in the daemon: core's
  // (users who lose groupmanagement.request_groups leave non-public groups)
  // and the plugins' (which enqueue tasks for the workers).
  for (const auto& event : events) app->emit(event);
  std::cout << (grant ? "Granted " : "Revoked ") << args[0] << (grant ? " to " : " from ") << args[2] << "\n";
  return 0;
}

}  // namespace

int grant(const GlobalOptions& options, const std::vector<std::string>& args) { return change_grant(options, args, true); }

int revoke(const GlobalOptions& options, const std::vector<std::string>& args) {
  return change_grant(options, args, false);
}

int permissions(const GlobalOptions& options, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "usage: allianceauth permissions\n";
    return 2;
  }
  auto app = open_for_permissions(options);
  if (!app) return 1;
  soci::session sql(app->db().pool());
  for (const auto& permission : list_permissions(sql)) std::cout << permission.code << "  " << permission.name << "\n";
  return 0;
}

}  // namespace aa::core::cli
