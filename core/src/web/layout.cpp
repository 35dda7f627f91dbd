#include "web/layout.hpp"

#include <algorithm>

#include "aa/evelinks.hpp"
#include "app/app.hpp"
#include "http/request.hpp"

namespace aa::core {
namespace {

bool is_active(const MenuItemHook& item, const CoreRequest& request) {
  const auto* route = request.route();
  if (!route) return false;
  const auto& name = route->full_name;
  if (item.navactive.empty()) return name == item.url_name;
  return std::any_of(item.navactive.begin(), item.navactive.end(), [&](const std::string& pattern) {
    if (!pattern.empty() && pattern.back() == ':') return name.compare(0, pattern.size(), pattern) == 0;
    return name == pattern;
  });
}

void add_menu(CoreRequest& request, TemplateData& layout) {
  auto& app = request.host();
  std::vector<const Owned<MenuItemHook>*> items;
  for (const auto& owned : app.hooks().menu_items) items.push_back(&owned);
  std::stable_sort(items.begin(), items.end(), [](const auto* a, const auto* b) { return a->hook.order < b->hook.order; });

  for (const auto* owned : items) {
    const auto& item = owned->hook;
    if (item.permission && !request.has_perm(*item.permission)) continue;
    if (!app.router().has(item.url_name)) continue;
    if (item.visible) {
      bool visible = false;
      try {
        visible = item.visible(request);
      } catch (const std::exception& error) {
        core_log().error("menu item {} of plugin {} failed to decide its visibility: {}; it is hidden", item.url_name,
                         owned->plugin, error.what());
      }
      if (!visible) continue;
    }
    auto& row = layout.add_row("MENU_ITEM");
    row.set("URL", app.router().reverse(item.url_name));
    row.set("TEXT", request.translate(item.text));
    row.set("ICON", item.classes);
    row.show_if("ACTIVE", is_active(item, request));
    if (item.count) {
      int count = 0;
      try {
        count = item.count(request);
      } catch (const std::exception& error) {
        core_log().error("menu badge of plugin {} failed: {}", owned->plugin, error.what());
      }
      if (count > 0) row.add_row("BADGE").set("COUNT", count);
    }
  }
}

void add_user(CoreRequest& request, TemplateData& layout) {
  const User* user = request.user();
  if (!user) {
    layout.show("ANONYMOUS");
    return;
  }
  auto& section = layout.add_row("USER");
  section.set("USERNAME", user->username);
  section.set("LOGOUT_URL", request.url_for("authentication:logout"));
  section.set("TOKENS_URL", request.url_for("authentication:token_management"));
  if (user->main_character) {
    section.set("MAIN_NAME", user->main_character->character_name);
    section.set("PORTRAIT_URL", evelinks::character_portrait_url(user->main_character->character_id, 32));
  } else {
    section.set("MAIN_NAME", user->username);
    section.set("PORTRAIT_URL", evelinks::character_portrait_url(1, 32));
  }
  section.show_if("IS_STAFF", user->is_staff || user->is_superuser);
  // The bell's badge; allianceauth.js refreshes it from the count URL.
  const auto* snapshot = request.snapshot();
  int unread = snapshot ? snapshot->unread_notifications : 0;
  section.set("UNREAD_COUNT", unread);
  if (unread == 0) section.show("NO_UNREAD");
  section.set("NOTIFICATIONS_URL", request.url_for("notifications:list"));
  section.set("NOTIFICATIONS_COUNT_URL",
              request.url_for("notifications:user_notifications_count", {{"user_pk", std::to_string(user->id)}}));
  section.set("NOTIFICATIONS_REFRESH", request.host().config().int_or("notifications.refresh_time", 30));
}

void add_languages(CoreRequest& request, TemplateData& layout) {
  layout.set("SET_LANGUAGE_URL", request.url_for("authentication:set_language"));
  layout.set("NEXT_PATH", std::string(request.target()));
  for (const auto& language : request.host().translator().offered()) {
    auto& row = layout.add_row("LANGUAGE");
    row.set("CODE", language.code);
    row.set("NAME", language.name);
    row.show_if("SELECTED", language.code == request.language());
  }
}

// Copies the page's EXTRA_CSS or EXTRA_JS rows into the layout. A URL that
// is neither absolute nor rooted ("timerboard/js/timerboard.js") is a path
// under the static URL, so plugins need not know where /static/ is mounted.
void copy_asset_rows(const TemplateData& from, const std::string& section, const std::string& static_url,
                     TemplateData& to) {
  auto it = from.sections().find(section);
  if (it == from.sections().end()) return;
  for (const auto& row : it->second) {
    auto url = row.values().find("URL");
    if (url == row.values().end()) continue;
    bool rooted = url->second.starts_with("/") || url->second.find("://") != std::string::npos;
    to.add_row(section).set("URL", rooted ? url->second : static_url + url->second);
  }
}

}  // namespace

Response render_page(CoreRequest& request, std::string_view template_name, const TemplateData& data, int status) {
  auto& app = request.host();
  const auto& csrf_token = request.csrf_token();
  auto content = app.templates().render(request.language(), template_name, data,
                                        {{"CSRF_TOKEN", csrf_token}, {"STATIC_URL", app.options().static_url}});

  TemplateData layout;
  layout.set("SITE_NAME", app.options().site_name);
  auto title = data.values().find("TITLE");
  layout.set("TITLE", title == data.values().end() ? app.options().site_name : title->second);
  layout.set("LANGUAGE_CODE", std::string(request.language()));
  layout.set("CSRF_TOKEN", request.csrf_token());
  layout.set("STATIC_URL", app.options().static_url);
  layout.set("DASHBOARD_URL", request.url_for("authentication:dashboard"));
  layout.set("PAGE_CONTENT", std::move(content));
  add_user(request, layout);
  if (request.user()) add_menu(request, layout);
  add_languages(request, layout);
  for (const auto& [level, text] : request.take_messages()) {
    auto& row = layout.add_row("MESSAGE");
    row.set("LEVEL", level);
    row.set("TEXT", text);
  }
  copy_asset_rows(data, "EXTRA_CSS", app.options().static_url, layout);
  copy_asset_rows(data, "EXTRA_JS", app.options().static_url, layout);

  return Response::html(app.templates().render(request.language(), "allianceauth/base.html", layout), status);
}

Response render_error(CoreRequest& request, int status, std::string_view detail) {
  TemplateData data;
  data.set("STATUS", status);
  std::string heading;
  switch (status) {
    case 400: heading = request.translate("Bad request"); break;
    case 403: heading = request.translate("Permission denied"); break;
    case 404: heading = request.translate("Page not found"); break;
    case 405: heading = request.translate("Method not allowed"); break;
    default: heading = request.translate("Server error"); break;
  }
  data.set("TITLE", heading);
  data.set("HEADING", heading);
  if (!detail.empty()) data.add_row("DETAIL").set("TEXT", std::string(detail));
  try {
    return render_page(request, "allianceauth/error.html", data, status);
  } catch (const std::exception& error) {
    core_log().error("rendering the {} page for {} failed: {}", status, request.path(), error.what());
    return fallback_error(status);
  }
}

Response fallback_error(int status) {
  std::string text = status == 404 ? "Page not found" : status == 403 ? "Permission denied" : "Server error";
  return Response::html("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + text +
                            "</title></head><body><h1>" + text + "</h1></body></html>",
                        status);
}

}  // namespace aa::core
