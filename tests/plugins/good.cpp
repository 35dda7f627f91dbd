// test_good: a plugin that loads. It registers one of each hook the loader
// tests look for (a route, a menu item, a permission, a migration), so a test
// can tell its hooks apart from a failed plugin's.
#include <aa/plugin.hpp>

namespace {

class TestGood final : public aa::Plugin {
 public:
  std::string name() const override { return "test_good"; }
  std::string version() const override { return "1.2.3"; }

  void register_hooks(aa::Registry& registry) override {
    // A public view, so the CLI test can request it without logging in
    // (the test config lists test_good in apps_with_public_views).
    registry.add_urls({.url_namespace = "test_good",
                       .base_path = "/test-good/",
                       .routes = {{.pattern = "",
                                   .name = "index",
                                   .view = [](aa::Request&) { return aa::Response::text("test_good index"); },
                                   .access = aa::Access::public_view}}});
    registry.add_menu_item({.text = "Test good", .classes = "fas fa-check fa-fw", .url_name = "test_good:index"});
    registry.add_permission({.app_label = "test_good", .codename = "view_thing", .name = "Can view test things"});
    registry.add_migration({.number = 1,
                            .name = "create test_good_things",
                            .up = [](aa::Schema& schema) {
                              schema.exec("CREATE TABLE test_good_things (" + schema.auto_id() + ", label VARCHAR(64))" +
                                          schema.table_options());
                            },
                            .down = [](aa::Schema& schema) { schema.exec("DROP TABLE test_good_things"); }});
  }
};

}  // namespace

AA_PLUGIN(TestGood)
