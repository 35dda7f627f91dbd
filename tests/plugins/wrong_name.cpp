// test_wrong_name: the library is test_wrong_name.so, but Plugin::name()
// returns another name, so the config key and the plugin disagree.
#include <aa/plugin.hpp>

namespace {

class TestWrongName final : public aa::Plugin {
 public:
  std::string name() const override { return "test_other_name"; }
  std::string version() const override { return "0.0.1"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_permission({.app_label = "test_wrong_name", .codename = "view_thing", .name = "Can view"});
  }
};

}  // namespace

AA_PLUGIN(TestWrongName)
