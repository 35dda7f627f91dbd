#include "app/app.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>

#include "app/paths.hpp"
#include "auth/accounts.hpp"
#include "auth/notifications.hpp"
#include "auth/states.hpp"
#include "auth/user_cache.hpp"
#include "db/core_migrations.hpp"
#include "groups/group_names.hpp"
#include "plugins/plugin_registry.hpp"
#include "services/name_formats.hpp"
#include "tasks/schedule.hpp"
#include "tasks/task_service.hpp"
#include "tasks/task_setup.hpp"
#include "views/core_hooks.hpp"

namespace aa::core {

// The framework API over the database; each call leases its own session.
class App::AuthApiImpl final : public aa::AuthApi {
 public:
  explicit AuthApiImpl(App& app) : app_(app) {}

  std::optional<User> user_by_id(long long user_id) override {
    soci::session sql(app_.db().pool());
    return load_user(sql, user_id);
  }
  std::optional<Character> main_character_of_user(long long user_id) override {
    auto user = user_by_id(user_id);
    return user ? user->main_character : std::nullopt;
  }
  std::vector<Character> characters_of_user(long long user_id) override {
    soci::session sql(app_.db().pool());
    return aa::core::characters_of_user(sql, user_id);
  }
  long long user_of_character(long long character_id) override {
    soci::session sql(app_.db().pool());
    if (auto owner = owner_of_character(sql, character_id)) return *owner;
    return aa::core::sentinel_user_id(sql);
  }
  std::optional<Character> main_character_of_character(long long character_id) override {
    soci::session sql(app_.db().pool());
    auto owner = owner_of_character(sql, character_id);
    if (!owner) return std::nullopt;
    auto user = load_user(sql, *owner);
    return user ? user->main_character : std::nullopt;
  }
  long long sentinel_user_id() override {
    soci::session sql(app_.db().pool());
    return aa::core::sentinel_user_id(sql);
  }
  std::vector<GroupRef> groups_of_user(long long user_id) override {
    soci::session sql(app_.db().pool());
    return aa::core::groups_of_user(sql, user_id);
  }
  bool user_has_perm(long long user_id, std::string_view permission) override {
    soci::session sql(app_.db().pool());
    auto snapshot = app_.user_cache().get(sql, user_id);
    return snapshot && snapshot->permissions.has(permission);
  }
  std::string name_format_for(std::string_view service_name, const User& user,
                              std::string_view default_format) override {
    soci::session sql(app_.db().pool());
    auto stored = stored_name_format(sql, service_name, user.state_id);
    return stored ? *stored : std::string(default_format);
  }
  std::vector<std::string> reserved_group_names() override {
    soci::session sql(app_.db().pool());
    std::vector<std::string> names;
    for (auto& reserved : groups::list_reserved_names(sql)) names.push_back(std::move(reserved.name));
    return names;
  }

 private:
  App& app_;
};

class App::NotifierImpl final : public aa::Notifier {
 public:
  explicit NotifierImpl(App& app) : app_(app) {}
  // A title or message that is a message id of a catalog is stored in the
  // user's language, so plugins outside a request pass gettext_noop ids.
  void notify_user(long long user_id, const std::string& title, const std::string& message,
                   NotificationLevel level) override {
    soci::session sql(app_.db().pool());
    auto translate = [&, language = language_of(sql, user_id)](const std::string& text) {
      return language.empty() ? text : app_.translator_->translate(language, text);
    };

    aa::WriteTransaction transaction(sql);
    insert_notification(sql, user_id, level, translate(title), translate(message), max_per_user());
    transaction.commit();
  }
  void notify_superusers(const std::string& title, const std::string& message,
                         const std::vector<std::pair<std::string, std::string>>& values,
                         NotificationLevel level) override {
    soci::session sql(app_.db().pool());
    aa::WriteTransaction transaction(sql);
    for (long long user_id : active_superuser_ids(sql)) {
      auto translate = [&, language = language_of(sql, user_id)](const std::string& text) {
        return aa::text::fill(language.empty() ? text : app_.translator_->translate(language, text), values);
      };
      insert_notification(sql, user_id, level, translate(title), translate(message), max_per_user());
    }
    transaction.commit();
  }

 private:
  int max_per_user() const {
    return static_cast<int>(app_.config().int_or("notifications.max_per_user", kDefaultNotificationsPerUser));
  }

  // The user's language, or the site's; empty before the catalogs are loaded
  // (commands that serve no pages), when the text stays as given.
  std::string language_of(soci::session& sql, long long user_id) const {
    if (!app_.translator_) return {};
    std::string language;
    sql << "SELECT language FROM user_profiles WHERE user_id = :id", soci::use(user_id), soci::into(language);
    return app_.translator_->offers(language) ? language : app_.translator_->default_language();
  }

  App& app_;
};

namespace {

std::vector<std::filesystem::path> plugin_search_dirs(const Config& config, std::vector<std::filesystem::path> given) {
  if (!given.empty()) return given;
  std::vector<std::filesystem::path> dirs;
  for (const auto& dir : config.get_list("plugin_dirs")) {
    std::filesystem::path path(dir);
    dirs.push_back(path.is_relative() ? config.instance_dir() / path : path);
  }
  for (auto& dir : default_plugin_dirs()) dirs.push_back(std::move(dir));
  return dirs;
}

std::string origin_of(const std::string& url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return {};
  std::string origin = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host_and_port());
  return origin;
}

}  // namespace

App::App(Config config, std::vector<std::filesystem::path> plugin_dirs)
    : config_(std::move(config)), loader_(plugin_search_dirs(config_, std::move(plugin_dirs))) {
  init_crypto();
  options_.site_name = config_.string_or("site_name", "Alliance Auth");
  options_.site_url = config_.string_or("site_url", "http://127.0.0.1:8000");
  while (!options_.site_url.empty() && options_.site_url.back() == '/') options_.site_url.pop_back();
  options_.site_origin = origin_of(options_.site_url);
  options_.site_is_https = options_.site_url.starts_with("https://");
  options_.session_cookie = config_.string_or("session.cookie_name", "sessionid");
  options_.trusted_proxies = config_.get_list("trusted_proxies");
  options_.public_view_plugins = config_.get_list("apps_with_public_views");
  options_.login_scopes = config_.get_list("sso.login_scopes");

  secret_box_ = std::make_unique<SecretBox>(config_.string_or("secret_key", ""));
  sessions_ = std::make_unique<SessionStore>(config_.int_or("session.age_seconds", 1209600));
  user_cache_ = std::make_unique<UserCache>();
  auth_api_ = std::make_unique<AuthApiImpl>(*this);
  notifier_ = std::make_unique<NotifierImpl>(*this);

  SsoOptions sso;
  sso.client_id = config_.string_or("sso.client_id", "");
  sso.client_secret = config_.string_or("sso.client_secret", "");
  sso.callback_url = config_.string_or("sso.callback_url", "");
  if (sso.callback_url.empty()) sso.callback_url = options_.site_url + "/sso/callback";
  sso.metadata_url = config_.string_or("sso.metadata_url", "");
  sso.issuers = config_.get_list("sso.issuers");
  sso_ = std::make_unique<SsoClient>(std::move(sso));
  tokens_ = std::make_unique<TokenStore>(*secret_box_, *sso_);
  ownership_ = std::make_unique<OwnershipService>(*tokens_);

  EsiOptions esi;
  esi.base_url = config_.string_or("esi.base_url", "https://esi.evetech.net/latest");
  esi.user_agent = esi_user_agent(config_.string_or("esi.user_contact_email", ""));
  esi.timeout = std::chrono::seconds(config_.int_or("esi.timeout_seconds", 10));
  esi.retries = static_cast<int>(config_.int_or("esi.retries", 3));
  esi.retry_pause = std::chrono::milliseconds(config_.int_or("esi.retry_pause_ms", 500));
  esi_ = std::make_unique<CoreEsiClient>(std::move(esi), [this](long long character_id,
                                                                const std::vector<std::string>& scopes) {
    soci::session sql(database_->pool());
    return tokens_->valid_access_token(sql, character_id, scopes);
  });
}

App::~App() = default;

void App::load_plugins(const std::vector<std::string>& extra) {
  register_core_hooks();
  auto names = config_.plugin_names();
  for (const auto& name : extra) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  int loaded = 0;
  for (const auto& name : names) {
    auto record = loader_.load(name, *this, hooks_, router_);
    if (record.status == PluginStatus::loaded) ++loaded;
  }
  for (const auto& [plugin, settings] : hooks_.settings) config_.add_plugin_defaults(plugin, settings);
  core_log().info("{} of {} configured plugins loaded", loaded, names.size());
}

void App::register_core_hooks() {
  PluginRegistry registry("core", *this, hooks_, router_);
  aa::core::register_core_hooks(registry, *this);
  auto core = registry.take();
  // Core migrations come first so plugins can reference core tables.
  hooks_.migrations.insert(hooks_.migrations.begin(), core_migrations());
  auto parts = core_part_migrations();
  hooks_.migrations.insert(hooks_.migrations.begin() + 1, parts.begin(), parts.end());
  hooks_.merge(std::move(core));
}

std::vector<ConfigProblem> App::check_config() const {
  auto problems = config_.validate(hooks_.settings);
  check_task_settings(config_, problems);
  load_schedule(
      config_, [this](const std::string& name) { return has_task(name); },
      [this](const TaskCall& call) { return check_scheduled_call(call); }, problems);
  return problems;
}

void App::open_database() {
  database_ = std::make_unique<SociDatabase>(database_options(config_));
  Migrator(*database_).ensure_table();
}

std::vector<PendingMigration> App::pending_migrations() { return Migrator(*database_).pending(hooks_.migrations); }

void App::prepare_serving() {
  auto pending = pending_migrations();
  if (!pending.empty()) {
    std::string list;
    for (const auto& migration : pending) {
      list += "\n  " + migration.plugin + " " + std::to_string(migration.number) + " " + migration.name;
    }
    throw std::runtime_error("migrations are pending; run `allianceauth migrate` first:" + list);
  }

  sync_permissions();
  {
    soci::session sql(database_->pool());
    sessions_->purge_expired(sql);
  }

  prepare_resources();
  for (const auto& owned : hooks_.urls) {
    try {
      router_.add(owned.plugin, owned.hook);
    } catch (const std::exception& error) {
      core_log().error("routes of plugin {} under {} not added: {}", owned.plugin, owned.hook.base_path, error.what());
    }
  }
}

void App::sync_permissions() {
  // Declared permissions become rows so grants can reference them.
  soci::session sql(database_->pool());
  aa::WriteTransaction transaction(sql);
  for (const auto& owned : hooks_.permissions) {
    const auto& permission = owned.hook;
    int exists = 0;
    sql << "SELECT COUNT(*) FROM permissions WHERE app_label = :app AND codename = :code",
        soci::use(permission.app_label), soci::use(permission.codename), soci::into(exists);
    if (exists) {
      sql << "UPDATE permissions SET name = :name WHERE app_label = :app AND codename = :code",
          soci::use(permission.name), soci::use(permission.app_label), soci::use(permission.codename);
    } else {
      sql << "INSERT INTO permissions (app_label, codename, name) VALUES (:app, :code, :name)",
          soci::use(permission.app_label), soci::use(permission.codename), soci::use(permission.name);
    }
  }
  transaction.commit();
}

void App::prepare_resources() {
  if (templates_) return;
  auto share = share_dir();
  translator_ = std::make_unique<Translator>(config_.get_list("languages"), config_.string_or("language", "en"));
  translator_->add_domain("allianceauth", share / "locale");
  std::vector<std::filesystem::path> template_dirs{config_.path("paths.templates")};
  std::vector<std::filesystem::path> static_dirs{config_.path("paths.static")};
  for (const auto& record : loader_.records()) {
    if (record.status != PluginStatus::loaded) continue;
    translator_->add_domain(record.name, record.resource_dir / "locale");
    template_dirs.push_back(record.resource_dir / "templates");
    static_dirs.push_back(record.resource_dir / "static");
  }
  template_dirs.push_back(share / "templates");
  static_dirs.push_back(share / "static");
  translator_->load();
  ownership_->set_notification_limit(
      static_cast<int>(config_.int_or("notifications.max_per_user", kDefaultNotificationsPerUser)));
  // Notifications are written in the recipient's language, or the site's
  // default language when they have not picked one.
  ownership_->set_translator([this](const std::string& language, const std::string& msgid) {
    return translator_->translate(language.empty() ? translator_->default_language() : language, msgid);
  });
  templates_ = std::make_unique<TemplateEngine>(template_dirs, *translator_);
  static_files_ = std::make_unique<StaticFiles>(config_.path("paths.static_root"), static_dirs, share / "node_modules");
}

aa::Logger& App::logger(std::string_view name) {
  std::lock_guard lock(loggers_mutex_);
  auto it = loggers_.find(name);
  if (it == loggers_.end()) it = loggers_.emplace(std::string(name), std::make_unique<ExtensionLogger>(std::string(name))).first;
  return *it->second;
}

aa::Database& App::database() {
  if (!database_) throw std::logic_error("the database is not open yet");
  return *database_;
}

aa::AuthApi& App::auth() { return *auth_api_; }
aa::Notifier& App::notifier() { return *notifier_; }

void App::emit(const SignalEvent& event) {
  for (const auto& owned : hooks_.subscriptions) {
    if (owned.hook.first != event.signal) continue;
    try {
      owned.hook.second(*this, event);
    } catch (const std::exception& error) {
      core_log().error("signal handler of plugin {} failed for user {}: {}", owned.plugin, event.user_id, error.what());
    }
  }
}

}  // namespace aa::core
