#include "config/schema.hpp"

#include <array>

namespace aa::core {
namespace {

using Type = SettingDecl::Type;

// Keep in step with etc/allianceauth.yaml, which documents each key.
const std::array kCoreSettings{
    SettingDecl{"site_name", Type::string, "Alliance Auth", "Name shown in the title and top bar"},
    SettingDecl{"site_url", Type::string, "http://127.0.0.1:8000", "Public base URL, without a trailing slash"},
    SettingDecl{"secret_key", Type::string, "", "Key for sessions and for encrypting tokens at rest; 32+ characters"},
    SettingDecl{"debug", Type::boolean, "false", "Log request details at debug level"},
    SettingDecl{"server.host", Type::string, "127.0.0.1", "Address to listen on"},
    SettingDecl{"server.port", Type::integer, "8000", "TCP port to listen on"},
    SettingDecl{"server.io_threads", Type::integer, "1", "Threads that parse and write HTTP"},
    SettingDecl{"server.worker_threads", Type::integer, "4", "Threads that run views and touch the database"},
    SettingDecl{"server.max_header_bytes", Type::integer, "16384", "Largest accepted request header block, in bytes"},
    SettingDecl{"server.max_body_bytes", Type::integer, "1048576", "Largest accepted request body, in bytes"},
    SettingDecl{"server.read_timeout_seconds", Type::integer, "30", "Time a client has to send a whole request"},
    SettingDecl{"server.keep_alive_seconds", Type::integer, "60", "Idle time before a kept-alive connection closes"},
    SettingDecl{"trusted_proxies", Type::string_list, "[]", "Addresses whose X-Forwarded-* headers are honoured"},
    SettingDecl{"database.backend", Type::string, "sqlite3", "sqlite3 or mysql (MariaDB)"},
    SettingDecl{"database.name", Type::string, "var/allianceauth.sqlite3", "SQLite file, or MariaDB database name"},
    SettingDecl{"database.host", Type::string, "127.0.0.1", "MariaDB host"},
    SettingDecl{"database.port", Type::integer, "3306", "MariaDB port"},
    SettingDecl{"database.user", Type::string, "", "MariaDB user"},
    SettingDecl{"database.password", Type::string, "", "MariaDB password"},
    SettingDecl{"database.unix_socket", Type::string, "", "MariaDB socket; used instead of host and port when set"},
    SettingDecl{"database.pool_size", Type::integer, "8", "Open database connections"},
    SettingDecl{"plugin_dirs", Type::string_list, "[]", "Extra directories searched for plugin libraries"},
    SettingDecl{"apps_with_public_views", Type::string_list, "[]", "Plugins allowed to serve pages without login"},
    SettingDecl{"sso.client_id", Type::string, "", "EVE SSO application client id"},
    SettingDecl{"sso.client_secret", Type::string, "", "EVE SSO application secret key"},
    SettingDecl{"sso.callback_url", Type::string, "", "Callback URL registered for the SSO application; default site_url + /sso/callback"},
    SettingDecl{"sso.metadata_url", Type::string, "https://login.eveonline.com/.well-known/oauth-authorization-server",
                "SSO metadata document (RFC 8414)"},
    SettingDecl{"sso.login_scopes", Type::string_list, "[publicData]", "Scopes requested at login"},
    SettingDecl{"sso.issuers", Type::string_list, "[login.eveonline.com, https://login.eveonline.com]",
                "Accepted values of the JWT iss claim"},
    SettingDecl{"esi.base_url", Type::string, "https://esi.evetech.net/latest", "ESI base URL"},
    SettingDecl{"esi.user_contact_email", Type::string, "", "Contact address sent to CCP in the User-Agent"},
    SettingDecl{"esi.timeout_seconds", Type::integer, "10", "Time limit of one ESI request"},
    SettingDecl{"esi.retries", Type::integer, "3", "Further attempts after a 5xx, 420 or transport error"},
    SettingDecl{"esi.retry_pause_ms", Type::integer, "500", "Pause before the first retry; doubles on each further one"},
    SettingDecl{"paths.templates", Type::string, "templates", "Instance template overrides"},
    SettingDecl{"paths.static", Type::string, "static", "Instance static file overrides"},
    SettingDecl{"paths.static_root", Type::string, "var/static", "Directory collectstatic fills and /static/ serves"},
    SettingDecl{"paths.log", Type::string, "log", "Log directory"},
    SettingDecl{"session.cookie_name", Type::string, "sessionid", "Session cookie name"},
    SettingDecl{"session.age_seconds", Type::integer, "1209600", "Session lifetime; two weeks by default"},
    SettingDecl{"languages", Type::string_list, "[en, de, es, zh-hans]", "Languages offered to users"},
    SettingDecl{"language", Type::string, "en", "Default language"},
    SettingDecl{"log.level", Type::string, "info", "Level of allianceauth.log: debug, info, warning, error"},
    SettingDecl{"log.extensions_level", Type::string, "debug", "Level of extensions.log"},
    SettingDecl{"log.console", Type::boolean, "true", "Also log to the console"},
    SettingDecl{"tasks.backend", Type::string, "embedded", "embedded (the instance database) or redis"},
    SettingDecl{"tasks.worker_threads", Type::integer, "2",
                "Task threads inside serve (embedded), and the default concurrency of `allianceauth worker`"},
    SettingDecl{"tasks.queues", Type::string_list, "[default]", "Queues a worker takes tasks from unless --queues is given"},
    SettingDecl{"tasks.visibility_timeout_seconds", Type::integer, "300",
                "Seconds after which a task whose worker stopped renewing its claim runs again"},
    SettingDecl{"tasks.poll_interval_ms", Type::integer, "1000", "Longest wait before an idle worker looks again"},
    SettingDecl{"tasks.max_redeliveries", Type::integer, "5",
                "Times a task whose worker died may run again before it is recorded as failed"},
    SettingDecl{"tasks.only_once_timeout_seconds", Type::integer, "3600",
                "Redis only: how long an only-once lock outlives a task that was lost"},
    SettingDecl{"redis.host", Type::string, "127.0.0.1", "Redis host"},
    SettingDecl{"redis.port", Type::integer, "6379", "Redis port"},
    SettingDecl{"redis.unix_socket", Type::string, "", "Redis socket; used instead of host and port when set"},
    SettingDecl{"redis.password", Type::string, "", "Redis password (AUTH)"},
    SettingDecl{"redis.database", Type::integer, "0", "Redis database number"},
    SettingDecl{"redis.prefix", Type::string, "aa", "Prefix of every Redis key, so instances can share a server"},
    SettingDecl{"redis.timeout_ms", Type::integer, "5000", "Limit for connecting to Redis and for each reply"},
    SettingDecl{"dashboard.tasks_max_hours", Type::integer, "24", "Hours of task statistics the dashboard shows"},
    SettingDecl{"dashboard.task_statistics", Type::boolean, "true", "Record task statistics for the dashboard"},
};

}  // namespace

std::span<const SettingDecl> core_settings() { return kCoreSettings; }

}  // namespace aa::core
