#include "views/core_hooks.hpp"

#include "admin/admin_hooks.hpp"
#include "services/service_access.hpp"
#include "services/services_view.hpp"
#include "tasks/core_tasks.hpp"
#include "views/groups/group_views.hpp"
#include "views/views.hpp"
#include "web/i18n.hpp"

namespace aa::core {

void register_core_hooks(aa::Registry& registry, App& app) {
  using aa::Access;
  using aa::Method;

  auto route = [](std::string pattern, std::string name, std::vector<Method> methods, View view, Access access) {
    return aa::Route{.pattern = std::move(pattern),
                     .name = std::move(name),
                     .methods = std::move(methods),
                     .view = std::move(view),
                     .access = access};
  };

  registry.add_urls(
      {.url_namespace = "authentication",
       .base_path = "/",
       .routes = {
           route("", "index", {Method::get}, views::index, Access::public_view),
           route("dashboard/", "dashboard", {Method::get}, views::dashboard, Access::main_character),
           route("account/login/", "login", {Method::get}, views::login_page, Access::public_view),
           route("account/logout/", "logout", {Method::post}, views::logout, Access::public_view),
           route("account/characters/add/", "add_character", {Method::get}, views::add_character, Access::login),
           route("account/characters/main/", "change_main_character", {Method::get, Method::post},
                 views::change_main_page, Access::login),
           route("account/characters/main/sso/", "change_main_sso", {Method::get}, views::change_main_sso,
                 Access::login),
           // Registration as upstream names it; the fixed "complete" path
           // comes before the key parameter, which would match it too.
           route("account/register/", "registration_register", {Method::get, Method::post}, views::register_page,
                 Access::public_view),
           route("account/register/complete/", "registration_complete", {Method::get}, views::registration_complete,
                 Access::public_view),
           route("account/activate/complete/", "registration_activation_complete", {Method::get},
                 views::activation_complete, Access::public_view),
           route("account/activate/<str:activation_key>/", "registration_activate", {Method::get, Method::post},
                 views::activate_page, Access::public_view),
           route("account/tokens/manage/", "token_management", {Method::get}, views::token_management, Access::login),
           route("account/tokens/delete/<int:token_id>/", "token_delete", {Method::post}, views::token_delete,
                 Access::login),
           route("account/tokens/refresh/<int:token_id>/", "token_refresh", {Method::post}, views::token_refresh,
                 Access::login),
           route("i18n/setlang/", "set_language", {Method::post}, views::set_language, Access::public_view),
           route("sso/login/", "sso_login", {Method::get}, views::sso_login, Access::public_view),
           // The callback URL registered with CCP, without a trailing slash as upstream writes it.
           route("sso/callback", "sso_callback", {Method::get}, views::sso_callback, Access::public_view),
       }});
  // Upstream's notifications app, with its paths and URL names; the
  // changing actions are POST here, where upstream takes GET.
  registry.add_urls(
      {.url_namespace = "notifications",
       .base_path = "/",
       .routes = {
           route("notifications/", "list", {Method::get}, views::notification_list, Access::login),
           route("notifications/<int:notif_id>/", "view", {Method::get}, views::notification_view, Access::login),
           route("remove_notifications/<int:notif_id>/", "remove", {Method::post}, views::remove_notification,
                 Access::login),
           route("notifications/mark_all_read/", "mark_all_read", {Method::post}, views::mark_all_read,
                 Access::login),
           route("notifications/delete_all_read/", "delete_all_read", {Method::post}, views::delete_all_read,
                 Access::login),
           route("user_notifications_count/<int:user_pk>/", "user_notifications_count", {Method::get},
                 views::user_notifications_count, Access::login),
       }});
  registry.add_urls({.url_namespace = "admin",
                     .base_path = "/admin/",
                     .routes = {route("login/", "login", {Method::get, Method::post}, views::password_login,
                                      Access::public_view)}});

  register_admin_site(registry, app);
  views::groups::register_group_hooks(registry, app);

  registry.add_menu_item({.text = gettext_noop("Dashboard"),
                          .classes = "fas fa-tachometer-alt fa-fw",
                          .url_name = "authentication:dashboard",
                          .order = 5});

  register_core_tasks(registry, app);
  register_services_page(registry);
  register_service_tasks(registry, app);
}

}  // namespace aa::core
