#include "admin/admin_hooks.hpp"

#include <memory>

#include "admin/admin_site.hpp"
#include "admin/admin_views.hpp"
#include "admin/models/core_admins.hpp"

namespace aa::core {

void register_admin_site(aa::Registry& registry, App& app) {
  auto site = std::make_shared<AdminSite>(app);
  auto view = [site](Response (*handler)(Request&, AdminSite&)) {
    return [site, handler](Request& request) { return handler(request, *site); };
  };
  auto route = [](std::string pattern, std::string name, std::vector<Method> methods, View handler) {
    return aa::Route{.pattern = std::move(pattern),
                     .name = std::move(name),
                     .methods = std::move(methods),
                     .view = std::move(handler),
                     .access = Access::staff};
  };
  const std::string model = "<str:app_label>/<str:model_name>/";
  const std::string object = model + "<int:object_id>/";
  registry.add_urls(
      {.url_namespace = "admin",
       .base_path = "/admin/",
       .routes = {
           route("", "index", {Method::get}, view(admin_views::index)),
           route(model, "changelist", {Method::get, Method::post}, view(admin_views::changelist)),
           route(model + "add/", "add", {Method::get, Method::post}, view(admin_views::add)),
           route(object + "change/", "change", {Method::get, Method::post}, view(admin_views::change)),
           route(object + "delete/", "delete", {Method::get, Method::post}, view(admin_views::remove)),
           route(object + "history/", "history", {Method::get}, view(admin_views::history)),
       }});

  register_core_admins(registry, app);
}

}  // namespace aa::core
