#include "views/groups/group_view_support.hpp"

#include "auth/accounts.hpp"
#include "auth/user_cache.hpp"
#include "groups/group_repository.hpp"
#include "groups/membership_rules.hpp"
#include "web/i18n.hpp"
#include "web/layout.hpp"
#include "web/text.hpp"

namespace aa::core::views::groups {

namespace {

const char* status_label(const core::groups::Group& group) {
  if (group.internal) return gettext_noop("Internal");
  if (group.hidden) return gettext_noop("Hidden");
  if (group.open) return gettext_noop("Open");
  return gettext_noop("Requestable");
}

}  // namespace

void set_group_cells(const Request& request, TemplateData& row, const core::groups::Group& group) {
  row.set("NAME", group.name);
  row.set("DESCRIPTION", group.description);
  row.set("STATUS", request.translate(status_label(group)));
}

core::groups::Manager manager_of(Request& request) {
  const auto* snapshot = core(request).snapshot();
  if (!snapshot) return {};
  return core::groups::manager_for(request.db(), snapshot->user,
                                   request.has_perm(core::groups::kGroupManagementPermission));
}

std::optional<long long> path_id(const Request& request, std::string_view name) {
  return text::parse_id(request.path_param(name));
}

std::string result_text(const Request& request, const core::groups::ActionResult& result) {
  return text::fill(request.translate(result.message), {{"group", result.group_name}, {"user", result.username}});
}

Response answer(CoreRequest& request, const core::groups::ActionResult& result, const std::string& next_url) {
  using core::groups::Outcome;
  switch (result.outcome) {
    case Outcome::forbidden: return render_error(request, 403, result_text(request, result));
    case Outcome::not_found: return render_error(request, 404, result_text(request, result));
    case Outcome::done: request.add_message(MessageLevel::success, result_text(request, result)); break;
    case Outcome::pending: request.add_message(MessageLevel::info, result_text(request, result)); break;
    case Outcome::unchanged: request.add_message(MessageLevel::warning, result_text(request, result)); break;
    case Outcome::already_done: request.add_message(MessageLevel::warning, result_text(request, result)); break;
  }
  return Response::redirect(next_url);
}

void notify_leaders(CoreRequest& request, long long group_id, const std::string& username, bool leave) {
  auto& app = request.host();
  if (!app.config().bool_or("groupmanagement.requests_notifications", false)) return;

  auto& sql = request.db();
  auto group = core::groups::load_group(sql, group_id);
  if (!group) return;
  auto& translator = app.translator();
  for (long long leader_id : core::groups::approver_ids(sql, group_id)) {
    auto leader = load_user(sql, leader_id);
    if (!leader) continue;
    auto language = leader->language.empty() ? translator.default_language() : leader->language;
    auto title = text::fill(translator.translate(language, leave ? gettext_noop("Group leave request")
                                                                 : gettext_noop("Group join request")),
                            {{"group", group->name}});
    auto message = text::fill(
        translator.translate(language, leave ? gettext_noop("{user} requested to leave the group {group}.")
                                             : gettext_noop("{user} requested to join the group {group}.")),
        {{"user", username}, {"group", group->name}});
    app.notifier().notify_user(leader_id, title, message, NotificationLevel::info);
  }
}

}  // namespace aa::core::views::groups
