// test_factory_throws: the plugin's constructor throws, so the factory that
// AA_PLUGIN exports fails before the loader can call any member.
#include <stdexcept>

#include <aa/plugin.hpp>

namespace {

class TestFactoryThrows final : public aa::Plugin {
 public:
  TestFactoryThrows() { throw std::runtime_error("test_factory_throws: cannot open the widget cache"); }

  std::string name() const override { return "test_factory_throws"; }
  std::string version() const override { return "0.0.1"; }
  void register_hooks(aa::Registry&) override {}
};

}  // namespace

AA_PLUGIN(TestFactoryThrows)
