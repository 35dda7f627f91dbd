// test_throws: register_hooks registers a route, a menu item and a
// permission, then throws, so a test can check that none of them is kept.
#include <stdexcept>

#include <aa/plugin.hpp>

namespace {

class TestThrows final : public aa::Plugin {
 public:
  std::string name() const override { return "test_throws"; }
  std::string version() const override { return "0.0.1"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_urls({.url_namespace = "test_throws",
                       .base_path = "/test-throws/",
                       .routes = {{.pattern = "", .name = "index", .view = [](aa::Request&) {
                                     return aa::Response::text("test_throws index");
                                   }}}});
    registry.add_menu_item({.text = "Test throws", .url_name = "test_throws:index"});
    registry.add_permission({.app_label = "test_throws", .codename = "view_thing", .name = "Can view"});
    throw std::runtime_error("test_throws: the widget count setting is invalid");
  }
};

}  // namespace

AA_PLUGIN(TestThrows)
