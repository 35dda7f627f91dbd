#include "aa/http.hpp"
#include "aa/service.hpp"
#include "aa/template.hpp"

namespace aa {

std::string render_service_row(Request& request, const ServiceHook& service, const ServiceRow& row) {
  TemplateData data;
  data.set("NAME", service.name());
  data.set("TITLE", service.title());
  if (row.account_name.empty()) {
    data.show("NO_ACCOUNT");
  } else {
    data.add_row("USERNAME").set("VALUE", row.account_name);
  }
  if (!row.service_url.empty()) data.add_row("SERVICE_URL").set("VALUE", row.service_url);
  for (const auto& button : row.buttons) {
    auto& out = data.add_row(button.post ? "ACTION" : "LINK");
    out.set("URL", button.url);
    out.set("LABEL", button.label);
    out.set("ICON", button.icon);
    out.set("BUTTON_CLASS", button.button_class);
  }
  return request.render_fragment("services/service_ctrl.html", data);
}

ServiceRow standard_service_row(Request& request, const ServiceHook& service, const std::string& account_name) {
  ServiceRow row;
  row.account_name = account_name;
  row.service_url = service.service_url();
  auto urls = service.service_urls();
  auto add = [&](const std::string& route, std::string label, const char* icon, const char* button_class, bool post) {
    if (route.empty()) return;
    row.buttons.push_back({request.url_for(route), std::move(label), icon, button_class, post});
  };
  if (account_name.empty()) {
    // Activation often starts with a redirect to the service (OAuth), so a link.
    add(urls.activate, request.translate("Activate"), "fas fa-check fa-fw", "btn-warning", false);
    return row;
  }
  add(urls.set_password, request.translate("Set Password"), "fas fa-edit fa-fw", "btn-warning", false);
  add(urls.reset_password, request.translate("Reset Password"), "fas fa-sync fa-fw", "btn-primary", true);
  add(urls.deactivate, request.translate("Deactivate"), "fas fa-times fa-fw", "btn-danger", true);
  return row;
}

}  // namespace aa
