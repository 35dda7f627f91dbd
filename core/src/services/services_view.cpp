#include "services/services_view.hpp"

#include <algorithm>

#include "aa/template.hpp"
#include "app/app.hpp"
#include "app/logging.hpp"
#include "http/request.hpp"
#include "web/i18n.hpp"

namespace aa::core {
namespace {

// Rows in title order; a service whose row fails is logged and left out, so
// one broken plugin does not take the page down.
Response services_page(Request& request) {
  auto& host = static_cast<CoreRequest&>(request);
  std::vector<ServiceHook*> services;
  for (const auto& owned : host.host().hooks().services) services.push_back(owned.hook.get());
  std::stable_sort(services.begin(), services.end(),
                   [](const ServiceHook* a, const ServiceHook* b) { return a->title() < b->title(); });

  TemplateData data;
  data.set("TITLE", request.translate("Services"));
  int shown = 0;
  for (auto* service : services) {
    try {
      if (!service->show_service_ctrl(request)) continue;
      auto html = service->render_service_ctrl(request);
      if (html.empty()) continue;
      data.add_row("SERVICE").set("HTML", std::move(html));
      ++shown;
    } catch (const std::exception& error) {
      core_log().error("the /services/ row of service {} failed for user {}: {}; the row is left out",
                       service->name(), request.user() ? request.user()->id : 0, error.what());
    }
  }
  if (shown == 0) data.show("NO_SERVICES");
  return request.render("services/services.html", data);
}

}  // namespace

void register_services_page(aa::Registry& registry) {
  registry.add_urls({.url_namespace = "services",
                     .base_path = "/services/",
                     .routes = {aa::Route{.pattern = "",
                                          .name = "services",
                                          .methods = {aa::Method::get},
                                          .view = services_page,
                                          .access = aa::Access::main_character}}});
  registry.add_menu_item({.text = gettext_noop("Services"),
                          .classes = "fas fa-cogs fa-fw",
                          .url_name = "services:services",
                          .order = 100,
                          .visible = [](Request& request) {
                            auto& host = static_cast<CoreRequest&>(request);
                            for (const auto& owned : host.host().hooks().services) {
                              if (owned.hook->show_service_ctrl(request)) return true;
                            }
                            return false;
                          }});
}

}  // namespace aa::core
