// hello: a small plugin that shows the shape of every plugin. It declares a
// setting, adds a page at /hello/ and a sidebar entry that links to it.
#include <string>

#include <aa/context.hpp>
#include <aa/plugin.hpp>
#include <aa/template.hpp>

namespace {

aa::Response index(aa::Request& request) {
  // Declared settings come back with their defaults when the admin sets none.
  std::string greeting = request.app().settings().string_or("plugins.hello.greeting", "Hello");
  aa::TemplateData data;
  data.set("GREETING", greeting);
  // The route's default access requires a logged-in user with a main character.
  data.set("NAME", request.user() ? request.user()->username : std::string());
  return request.render("hello/index.html", data);
}

class Hello final : public aa::Plugin {
 public:
  std::string name() const override { return "hello"; }
  std::string version() const override { return "1.0.0"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_setting({.key = "greeting",
                          .type = aa::SettingDecl::Type::string,
                          .default_value = "Hello",
                          .help = "Text shown before the user's name on /hello/"});
    registry.add_urls({.url_namespace = "hello",
                       .base_path = "/hello/",
                       .routes = {{.pattern = "", .name = "index", .view = index}}});
    registry.add_menu_item({.text = "Hello", .classes = "fas fa-hand fa-fw", .url_name = "hello:index"});
  }
};

}  // namespace

AA_PLUGIN(Hello)
