// test_abi_mismatch: a plugin that reports an SDK ABI version one above the
// host's, as a plugin built against a newer SDK would.
//
// The two exports are written by hand with BOOST_DLL_ALIAS because AA_PLUGIN
// always exports the kSdkAbiVersion of the headers it was compiled with,
// and this library must report another value. The names and signatures are
// the ones AA_PLUGIN exports.
#include <aa/plugin.hpp>

namespace {

class TestAbiMismatch final : public aa::Plugin {
 public:
  std::string name() const override { return "test_abi_mismatch"; }
  std::string version() const override { return "9.9.9"; }

  // The loader must reject the plugin before this runs. If it does not, the
  // route below shows up in the test's HookSet and the test fails.
  void register_hooks(aa::Registry& registry) override {
    registry.add_urls({.url_namespace = "test_abi_mismatch",
                       .base_path = "/test-abi-mismatch/",
                       .routes = {{.pattern = "", .name = "index", .view = [](aa::Request&) {
                                     return aa::Response::text("test_abi_mismatch index");
                                   }}}});
  }
};

}  // namespace

namespace test_abi_mismatch_entry {
static int abi_version() { return aa::kSdkAbiVersion + 1; }
static std::unique_ptr<aa::Plugin> create() { return std::make_unique<TestAbiMismatch>(); }
}  // namespace test_abi_mismatch_entry

BOOST_DLL_ALIAS(test_abi_mismatch_entry::abi_version, aa_plugin_abi_version)
BOOST_DLL_ALIAS(test_abi_mismatch_entry::create, aa_plugin_create)
