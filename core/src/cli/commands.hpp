// The verbs of the `allianceauth` command. Each returns the process exit
// status: 0 on success, 1 on a problem it reported, 2 on a usage error.
#pragma once

#include <string>
#include <vector>

namespace aa::core::cli {

/// Options shared by every verb.
struct GlobalOptions {
  std::string config_path;  ///< --config, or AA_CONFIG, or ./allianceauth.yaml
};

int start(const std::vector<std::string>& args);
int serve(const GlobalOptions& options, const std::vector<std::string>& args);
int migrate(const GlobalOptions& options, const std::vector<std::string>& args);
int check(const GlobalOptions& options, const std::vector<std::string>& args);
int createsuperuser(const GlobalOptions& options, const std::vector<std::string>& args);
int changepassword(const GlobalOptions& options, const std::vector<std::string>& args);
int collectstatic(const GlobalOptions& options, const std::vector<std::string>& args);
int plugins(const GlobalOptions& options, const std::vector<std::string>& args);
int permissions(const GlobalOptions& options, const std::vector<std::string>& args);
int grant(const GlobalOptions& options, const std::vector<std::string>& args);
int revoke(const GlobalOptions& options, const std::vector<std::string>& args);
int worker(const GlobalOptions& options, const std::vector<std::string>& args);
int beat(const GlobalOptions& options, const std::vector<std::string>& args);
int call(const GlobalOptions& options, const std::vector<std::string>& args);

}  // namespace aa::core::cli
