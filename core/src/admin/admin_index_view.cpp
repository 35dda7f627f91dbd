// /admin/: the models the user may see, grouped by app, and the user's own
// recent changes.
#include <soci/soci.h>

#include "admin/admin_history.hpp"
#include "admin/admin_page.hpp"
#include "admin/admin_views.hpp"
#include "web/text.hpp"

namespace aa::core::admin_views {
namespace {

void add_recent_actions(Request& request, AdminSite& site, TemplateData& data) {
  const User* user = request.user();
  auto entries = recent_entries_of_user(request.db(), user->id);
  for (const auto& entry : entries) {
    auto& row = data.add_row("RECENT");
    row.set("TIME", text::format_eve_time(entry.action_time));
    row.set("OBJECT", entry.object_repr);
    const auto* model = site.find(entry.app_label, entry.model_name);
    row.set("MODEL", model ? admin_page::model_name(request, *model) : entry.app_label + "." + entry.model_name);
    // Deleted objects get no link; the icon tells the three kinds apart.
    if (entry.action == AdminLogAction::deletion) {
      row.show("DELETED");
    } else {
      row.show(entry.action == AdminLogAction::addition ? "ADDED" : "CHANGED");
      if (model) row.add_row("LINK").set("URL", admin_page::change_url(request, *model, entry.object_id));
    }
  }
  if (entries.empty()) data.show("NO_RECENT");
}

}  // namespace

Response index(Request& request, AdminSite& site) {
  auto data = admin_page::page_data(request, request.translate("Site administration"));

  TemplateData* app = nullptr;
  std::string app_label;
  bool any = false;
  for (const auto& model : site.models()) {
    auto rights = rights_of(request, model);
    if (!rights.view && !rights.add) continue;
    if (!app || app_label != model.hook.app_label) {
      app_label = model.hook.app_label;
      app = &data.add_row("APP");
      const auto& name = model.hook.app_verbose_name.empty() ? app_label : model.hook.app_verbose_name;
      app->set("NAME", request.translate(name));
      app->set("ANCHOR", "app-" + app_label);
    }
    auto& row = app->add_row("MODEL");
    row.set("NAME", admin_page::model_plural(request, model));
    if (rights.view) row.add_row("LIST").set("URL", admin_page::list_url(request, model));
    if (!rights.view) row.show("NO_LIST");
    if (rights.add) row.add_row("ADD").set("URL", admin_page::add_url(request, model));
    any = true;
  }
  if (!any) data.show("NO_MODELS");

  add_recent_actions(request, site, data);
  return request.render("admin/index.html", data);
}

}  // namespace aa::core::admin_views
