// test_service: a service plugin for the services framework tests. Its
// "accounts" are rows in test_service_accounts; every call the host makes
// (delete_user, update_groups, sync_nickname) is written to
// test_service_calls, so a test can see what the host asked for and when.
// POST /test-service/activate/ creates the account with the name format
// (default "[{corp_ticker}]{character_name}", spaces become '_');
// POST /test-service/deactivate/ removes it.
#include <soci/soci.h>

#include <aa/context.hpp>
#include <aa/http.hpp>
#include <aa/name_format.hpp>
#include <aa/plugin.hpp>

namespace {

constexpr const char* kAccess = "test_service.access_test_service";

void record_call(aa::Context& context, const std::string& call, long long user_id) {
  soci::session sql(context.database().pool());
  sql << "INSERT INTO test_service_calls (call_name, user_id) VALUES (:call_name, :user_id)", soci::use(call),
      soci::use(user_id);
}

std::string account_of(aa::Context& context, long long user_id) {
  soci::session sql(context.database().pool());
  std::string name;
  sql << "SELECT account_name FROM test_service_accounts WHERE user_id = :id", soci::use(user_id), soci::into(name);
  return sql.got_data() ? name : std::string();
}

class TestService final : public aa::ServiceHook {
 public:
  explicit TestService(aa::Context& context) : context_(context) {}

  std::string name() const override { return "test_service"; }
  std::string title() const override { return "Test Service"; }
  std::string service_url() const override { return "https://service.example/"; }
  aa::ServiceUrls service_urls() const override {
    return {.activate = "test_service:activate", .deactivate = "test_service:deactivate"};
  }

  // The name the account gets: the admin's format for the user's state.
  std::string account_name_for(const aa::User& user) {
    auto format = context_.auth().name_format_for(name(), user, "[{corp_ticker}]{character_name}");
    auto account = aa::apply_name_format(format, aa::name_fields_of(user));
    for (auto& c : account) {
      if (c == ' ') c = '_';
    }
    return account;
  }

  bool delete_user(const aa::User& user, bool notify_user) override {
    // Only the call whose DELETE removed the row notifies: the host may
    // validate the same user from two tasks at once.
    soci::session sql(context_.database().pool());
    soci::statement remove = (sql.prepare << "DELETE FROM test_service_accounts WHERE user_id = :id", soci::use(user.id));
    remove.execute(true);
    if (remove.get_affected_rows() == 0) return false;
    record_call(context_, notify_user ? "delete_notified" : "delete", user.id);
    if (notify_user) {
      context_.notifier().notify_user(user.id, "Test Service account disabled",
                                      "Your Test Service account was removed because you no longer have access.",
                                      aa::NotificationLevel::danger);
    }
    return true;
  }
  void update_groups(const aa::User& user) override { record_call(context_, "update_groups", user.id); }
  void sync_nickname(const aa::User& user) override { record_call(context_, "sync_nickname", user.id); }
  bool supports_groups() const override { return true; }
  bool supports_nicknames() const override { return true; }
  bool service_active_for_user(const aa::User& user) override { return !account_of(context_, user.id).empty(); }

  std::string render_service_ctrl(aa::Request& request) override {
    auto row = aa::standard_service_row(request, *this, account_of(context_, request.user()->id));
    return aa::render_service_row(request, *this, row);
  }

 private:
  aa::Context& context_;
};

class TestServicePlugin final : public aa::Plugin {
 public:
  std::string name() const override { return "test_service"; }
  std::string version() const override { return "1.0.0"; }

  void register_hooks(aa::Registry& registry) override {
    auto& context = registry.context();
    registry.add_migration({.number = 1,
                            .name = "create the account and call tables",
                            .up =
                                [](aa::Schema& schema) {
                                  schema.exec("CREATE TABLE test_service_accounts (user_id BIGINT PRIMARY KEY"
                                              ", account_name VARCHAR(255) NOT NULL)" +
                                              schema.table_options());
                                  schema.exec("CREATE TABLE test_service_calls (" + schema.auto_id() +
                                              ", call_name VARCHAR(32) NOT NULL, user_id BIGINT NOT NULL)" +
                                              schema.table_options());
                                },
                            .down =
                                [](aa::Schema& schema) {
                                  schema.exec("DROP TABLE test_service_calls");
                                  schema.exec("DROP TABLE test_service_accounts");
                                }});
    registry.add_permission({"test_service", "access_test_service", "Can access the test service"});

    auto service = std::make_shared<TestService>(context);
    registry.add_service(service);
    registry.add_urls(
        {.url_namespace = "test_service",
         .base_path = "/test-service/",
         .routes = {
             aa::Route{.pattern = "activate/",
                       .name = "activate",
                       .methods = {aa::Method::get, aa::Method::post},
                       .view =
                           [service, &context](aa::Request& request) {
                             const auto& user = *request.user();
                             auto account = service->account_name_for(user);
                             soci::session sql(context.database().pool());
                             sql << "DELETE FROM test_service_accounts WHERE user_id = :id", soci::use(user.id);
                             sql << "INSERT INTO test_service_accounts (user_id, account_name) VALUES (:id, :name)",
                                 soci::use(user.id), soci::use(account);
                             return aa::Response::redirect(request.url_for("services:services"));
                           },
                       .permissions = {kAccess}},
             aa::Route{.pattern = "deactivate/",
                       .name = "deactivate",
                       .methods = {aa::Method::post},
                       .view =
                           [service](aa::Request& request) {
                             service->delete_user(*request.user(), false);
                             return aa::Response::redirect(request.url_for("services:services"));
                           },
                       .permissions = {kAccess}},
         }});
  }
};

}  // namespace

AA_PLUGIN(TestServicePlugin)
