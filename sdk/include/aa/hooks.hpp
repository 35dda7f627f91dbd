// The hooks a plugin registers: URL routes, menu items and dashboard panels.
// Names and meaning follow Alliance Auth's UrlHook and MenuItemHook.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aa/http.hpp"

namespace aa {

/// Who may call a route. The default requires a logged-in user with a main
/// character, as Alliance Auth's main_character_required does.
enum class Access {
  /// Anyone. Honoured only for plugins the admin lists in apps_with_public_views;
  /// for any other plugin such a route falls back to main_character.
  public_view,
  /// Any logged-in user, with or without a main character.
  login,
  main_character,
  staff,
  superuser,
};

/// One route of a UrlHook.
struct Route {
  /// Path below the hook's base path. Segments "<int:NAME>" and "<str:NAME>"
  /// capture parameters; a trailing "/" is part of the pattern.
  std::string pattern;
  /// Name below the hook's namespace, so "edit" becomes "timerboard:edit".
  std::string name;
  /// Accepted methods. HEAD is accepted wherever GET is.
  std::vector<Method> methods{Method::get};
  View view;
  Access access = Access::main_character;
  /// Permissions the user must all have (`app_label.codename`); 403 otherwise.
  std::vector<std::string> permissions;
};

/// A plugin's URL table under one base path and namespace.
struct UrlHook {
  /// The namespace of every route name, usually the plugin name.
  std::string url_namespace;
  /// The path prefix, e.g. "/timers/". Must start and end with "/".
  std::string base_path;
  std::vector<Route> routes;
};

/// A sidebar entry. Core items use orders below 1000, plugins 1000 and up.
struct MenuItemHook {
  std::string text;           ///< Message id; translated for the request's language.
  std::string classes;        ///< Font Awesome icon classes, e.g. "fas fa-clock fa-fw".
  std::string url_name;       ///< Route name the item links to.
  int order = 1000;
  /// Route names or namespaces ("timerboard:") on which the item is highlighted.
  /// Empty means url_name only.
  std::vector<std::string> navactive;
  /// Shown only to users who have this permission, when set.
  std::optional<std::string> permission;
  /// Per-request badge number; the badge is shown only when it returns > 0.
  std::function<int(Request&)> count;
  /// When set, the item is shown only while it returns true (after the
  /// permission check), e.g. only to users who may use some service.
  std::function<bool(Request&)> visible;
};

/// A panel on the dashboard. `render` returns HTML, normally from
/// Request::render_fragment so that its values are escaped; an empty string
/// hides the panel for this request.
struct DashboardHook {
  int order = 1000;
  std::function<std::string(Request&)> render;
};

/// A theme a user can pick in the top bar (upstream's ThemeHook).
struct ThemeHook {
  std::string name;          ///< Stable key stored in the user's profile.
  std::string description;   ///< Shown in the theme picker.
  std::vector<std::string> css;  ///< Stylesheet URLs, local (/static/...) or absolute.
  std::vector<std::string> js;   ///< Script URLs.
  std::string html_tags;     ///< Attributes for the <html> tag, e.g. data-bs-theme="dark".
  std::string header_padding = "4em";
};

}  // namespace aa
