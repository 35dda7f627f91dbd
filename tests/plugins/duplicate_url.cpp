// test_duplicate_url: registers the route name test_good:index, which
// test_good registers too. It first registers a menu item and a permission of
// its own, so a test can check that those are dropped with it.
#include <aa/plugin.hpp>

namespace {

class TestDuplicateUrl final : public aa::Plugin {
 public:
  std::string name() const override { return "test_duplicate_url"; }
  std::string version() const override { return "0.0.1"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_menu_item({.text = "Test duplicate URL", .url_name = "test_good:index"});
    registry.add_permission({.app_label = "test_duplicate_url", .codename = "view_thing", .name = "Can view"});
    registry.add_urls({.url_namespace = "test_good",
                       .base_path = "/test-duplicate-url/",
                       .routes = {{.pattern = "", .name = "index", .view = [](aa::Request&) {
                                     return aa::Response::text("test_duplicate_url index");
                                   }}}});
  }
};

}  // namespace

AA_PLUGIN(TestDuplicateUrl)
