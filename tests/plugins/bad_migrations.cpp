// test_bad_migrations: registers migration 1 and then migration 3, skipping
// number 2, after a route and a permission that must be dropped with it.
#include <aa/plugin.hpp>

namespace {

aa::Migration table_migration(int number, const std::string& table) {
  return {.number = number,
          .name = "create " + table,
          .up = [table](aa::Schema& schema) { schema.exec("CREATE TABLE " + table + " (" + schema.auto_id() + ")"); },
          .down = [table](aa::Schema& schema) { schema.exec("DROP TABLE " + table); }};
}

class TestBadMigrations final : public aa::Plugin {
 public:
  std::string name() const override { return "test_bad_migrations"; }
  std::string version() const override { return "0.0.1"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_urls({.url_namespace = "test_bad_migrations",
                       .base_path = "/test-bad-migrations/",
                       .routes = {{.pattern = "", .name = "index", .view = [](aa::Request&) {
                                     return aa::Response::text("test_bad_migrations index");
                                   }}}});
    registry.add_permission({.app_label = "test_bad_migrations", .codename = "view_thing", .name = "Can view"});
    registry.add_migration(table_migration(1, "test_bad_migrations_first"));
    registry.add_migration(table_migration(3, "test_bad_migrations_third"));
  }
};

}  // namespace

AA_PLUGIN(TestBadMigrations)
