// The host: owns the config, database, plugins, router, templates and
// clients, implements the Context that plugins use, and handles requests.
// Start-up runs in phases so each CLI verb takes only what it needs.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "aa/context.hpp"
#include "app/logging.hpp"
#include "auth/crypto.hpp"
#include "auth/login_throttle.hpp"
#include "auth/ownership.hpp"
#include "config/config.hpp"
#include "db/database.hpp"
#include "db/migrator.hpp"
#include "eve/esi_client.hpp"
#include "http/raw.hpp"
#include "http/router.hpp"
#include "http/sessions.hpp"
#include "plugins/hook_set.hpp"
#include "plugins/loader.hpp"
#include "sso/sso_client.hpp"
#include "sso/token_store.hpp"
#include "web/i18n.hpp"
#include "web/static_files.hpp"
#include "web/templates.hpp"

namespace aa::core {

class UserCache;
class TaskService;
struct ScheduleEntry;

class App final : public aa::Context {
 public:
  /// Takes the config; `plugin_dirs` replaces the default search path when
  /// not empty (tests point it at their own plugin builds).
  explicit App(Config config, std::vector<std::filesystem::path> plugin_dirs = {});
  ~App() override;

  // Start-up phases, in order.
  /// Registers core hooks, then loads every configured plugin (and `extra`).
  void load_plugins(const std::vector<std::string>& extra = {});
  /// Every problem in the config, including plugin settings.
  std::vector<ConfigProblem> check_config() const;
  /// Opens the database pool. Throws with the backend's message.
  void open_database();
  std::vector<PendingMigration> pending_migrations();
  /// Creates the task queue of `tasks.backend` (after open_database). It
  /// connects to Redis lazily, so an unreachable Redis fails enqueues, not this.
  void open_task_queue();
  /// Writes the declared permissions into the permissions table.
  void sync_permissions();
  /// Builds translations, templates and the static file finder from the
  /// loaded plugins; needs no database.
  void prepare_resources();
  /// Syncs declared permissions into the database and builds the router,
  /// translations and templates. Throws when migrations are pending.
  void prepare_serving();

  /// The request pipeline; runs on a worker thread. Exceptions from views
  /// and rendering become the 500 page here.
  RawResponse handle(RawRequest& request);
  /// Serves static files on the IO thread; nothing for any other request.
  std::optional<RawResponse> fast_path(const RawRequest& request);

  // aa::Context
  const aa::Settings& settings() const override { return config_; }
  aa::Logger& logger(std::string_view name) override;
  aa::Database& database() override;
  aa::AuthApi& auth() override;
  aa::Notifier& notifier() override;
  aa::EsiClient& esi() override { return *esi_; }
  aa::TaskQueue& tasks() override;

  /// Runs core reactions and plugin subscribers for `event`. Exceptions
  /// from subscribers are logged and dropped.
  void emit(const SignalEvent& event);

  const Config& config() const { return config_; }
  Config& mutable_config() { return config_; }
  SociDatabase& db() { return *database_; }
  HookSet& hooks() { return hooks_; }
  PluginLoader& plugins() { return loader_; }
  Router& router() { return router_; }
  TemplateEngine& templates() { return *templates_; }
  Translator& translator() { return *translator_; }
  SessionStore& sessions() { return *sessions_; }
  SsoClient& sso() { return *sso_; }
  TokenStore& tokens() { return *tokens_; }
  OwnershipService& ownership() { return *ownership_; }
  StaticFiles& static_files() { return *static_files_; }
  UserCache& user_cache() { return *user_cache_; }
  LoginThrottle& login_throttle() { return login_throttle_; }
  TaskService& task_service();
  /// The valid entries of `schedule:`.
  std::vector<ScheduleEntry> schedule() const;
  bool has_task(const std::string& name) const;
  /// Checks a call to a registered task as an enqueue would: "" or the problem.
  std::string check_scheduled_call(const TaskCall& call) const;
  const SecretBox& secret_box() const { return *secret_box_; }

  /// Values computed once from the config at start.
  struct Options {
    std::string site_name;
    std::string site_url;
    std::string site_origin;  ///< scheme://host[:port] of site_url.
    bool site_is_https = false;
    std::string session_cookie;
    std::vector<std::string> trusted_proxies;
    std::vector<std::string> public_view_plugins;
    std::vector<std::string> login_scopes;
    std::string static_url = "/static/";
  };
  const Options& options() const { return options_; }

 private:
  class AuthApiImpl;
  class NotifierImpl;

  void register_core_hooks();

  Config config_;
  Options options_;
  // The loader is declared before everything that may hold plugin code
  // (hooks, routes), so it is destroyed after them.
  PluginLoader loader_;
  HookSet hooks_;
  Router router_;
  std::unique_ptr<SociDatabase> database_;
  std::unique_ptr<Translator> translator_;
  std::unique_ptr<TemplateEngine> templates_;
  std::unique_ptr<SessionStore> sessions_;
  std::unique_ptr<SecretBox> secret_box_;
  std::unique_ptr<SsoClient> sso_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<OwnershipService> ownership_;
  std::unique_ptr<CoreEsiClient> esi_;
  std::unique_ptr<StaticFiles> static_files_;
  std::unique_ptr<UserCache> user_cache_;
  std::unique_ptr<AuthApiImpl> auth_api_;
  std::unique_ptr<NotifierImpl> notifier_;
  std::unique_ptr<TaskService> tasks_;
  /// Unix time after which the next request purges expired sessions.
  std::atomic<long long> next_session_purge_{0};
  LoginThrottle login_throttle_;
  std::mutex loggers_mutex_;
  std::map<std::string, std::unique_ptr<ExtensionLogger>, std::less<>> loggers_;
};

}  // namespace aa::core
