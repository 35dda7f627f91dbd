// Registers group management: its permissions, the member and manager
// routes, the two sidebar items and core's reactions to group-related
// signals. URL names follow upstream's groupmanagement app.
#include "groups/group_actions.hpp"
#include "groups/group_signals.hpp"
#include "groups/membership_rules.hpp"
#include "views/groups/group_view_support.hpp"
#include "views/groups/group_views.hpp"
#include "web/i18n.hpp"

namespace aa::core::views::groups {

void register_group_hooks(aa::Registry& registry, App& app) {
  using aa::Access;
  using aa::Method;

  registry.add_permission({.app_label = "auth",
                           .codename = "group_management",
                           .name = "Access to add members to groups within the alliance"});
  registry.add_permission(
      {.app_label = "groupmanagement", .codename = "request_groups", .name = "Can request non-public groups"});

  auto route = [](std::string pattern, std::string name, std::vector<Method> methods, View view) {
    return aa::Route{.pattern = std::move(pattern),
                     .name = std::move(name),
                     .methods = std::move(methods),
                     .view = std::move(view),
                     .access = Access::main_character};
  };
  auto accept = [](Request& request) { return process_request(request, true); };
  auto reject = [](Request& request) { return process_request(request, false); };
  registry.add_urls({
      .url_namespace = "groupmanagement",
      .base_path = "/",
      .routes =
          {
              route("groups/", "groups", {Method::get}, groups_page),
              // The join link of hidden groups, without a trailing slash as upstream writes it.
              route("group/request_add/<int:group_id>", "request_add", {Method::get, Method::post}, request_add),
              route("group/request_leave/<int:group_id>", "request_leave", {Method::get, Method::post},
                    request_leave),
              route("groupmanagement/requests/", "management", {Method::get}, management),
              route("groupmanagement/request/<int:request_id>/accept/", "accept_request", {Method::post}, accept),
              route("groupmanagement/request/<int:request_id>/reject/", "reject_request", {Method::post}, reject),
              route("groupmanagement/membership/", "membership", {Method::get}, membership),
              route("groupmanagement/membership/<int:group_id>/", "membership_list", {Method::get},
                    membership_list),
              route("groupmanagement/membership/<int:group_id>/remove/<int:user_id>/", "membership_remove",
                    {Method::post}, membership_remove),
              route("groupmanagement/membership/<int:group_id>/audit-log/", "audit_log", {Method::get}, audit_log),
          },
  });

  registry.add_menu_item({.text = gettext_noop("Groups"),
                          .classes = "fas fa-user-friends fa-fw",
                          .url_name = "groupmanagement:groups",
                          .order = 20,
                          .navactive = {"groupmanagement:groups", "groupmanagement:request_add",
                                        "groupmanagement:request_leave"}});
  registry.add_menu_item({.text = gettext_noop("Group Management"),
                          .classes = "fas fa-users-cog fa-fw",
                          .url_name = "groupmanagement:management",
                          .order = 30,
                          .navactive = {"groupmanagement:management", "groupmanagement:membership",
                                        "groupmanagement:membership_list", "groupmanagement:audit_log"},
                          .count =
                              [](Request& request) {
                                return core::groups::count_actionable_requests(request.db(), manager_of(request));
                              },
                          .visible = [](Request& request) { return manager_of(request).any(); }});

  core::groups::subscribe_group_rules(registry, app);
}

}  // namespace aa::core::views::groups
