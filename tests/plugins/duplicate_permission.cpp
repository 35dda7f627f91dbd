// test_duplicate_permission: declares the permission test_good.view_thing,
// which test_good declares too. Its route and menu item come first, so a
// test can check that those are dropped with it.
#include <aa/plugin.hpp>

namespace {

class TestDuplicatePermission final : public aa::Plugin {
 public:
  std::string name() const override { return "test_duplicate_permission"; }
  std::string version() const override { return "0.0.1"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_urls({.url_namespace = "test_duplicate_permission",
                       .base_path = "/test-duplicate-permission/",
                       .routes = {{.pattern = "", .name = "index", .view = [](aa::Request&) {
                                     return aa::Response::text("test_duplicate_permission index");
                                   }}}});
    registry.add_menu_item({.text = "Test duplicate permission", .url_name = "test_duplicate_permission:index"});
    registry.add_permission({.app_label = "test_good", .codename = "view_thing", .name = "Can view test things"});
  }
};

}  // namespace

AA_PLUGIN(TestDuplicatePermission)
