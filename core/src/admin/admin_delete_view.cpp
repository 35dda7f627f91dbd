// Deleting one object (with a confirmation page) and an object's history.
#include "admin/admin_form.hpp"
#include "admin/admin_history.hpp"
#include "admin/admin_page.hpp"
#include "web/text.hpp"
#include "admin/admin_views.hpp"
#include "web/i18n.hpp"

namespace aa::core::admin_views {
namespace {

struct DeleteOutcome {
  bool commit = false;
  int status = 200;
  std::string problem;
  std::vector<std::function<void()>> after_commit;
};

Response refuse(Request& request, const ModelAdmin& model, const AdminObject& object, const std::string& reason) {
  auto data = admin_page::page_data(request, request.translate("Cannot delete"));
  admin_page::add_model_crumbs(request, data, model);
  admin_page::add_crumb(data, object.display, admin_page::change_url(request, model, object.id));
  data.add_row("REFUSED").set("TEXT", reason);
  return request.render("admin/delete_confirmation.html", data, 403);
}

}  // namespace

Response remove(Request& request, AdminSite& site) {
  const auto* model = admin_page::model_of(request, site);
  auto id = admin_page::object_id_of(request);
  if (!model || !id) return Response::error(404);
  if (!rights_of(request, *model).remove) return Response::error(403);
  auto object = model->hook.load(request, *id);
  if (!object) return Response::error(404);
  if (!object->deletable) return refuse(request, *model, *object, object->undeletable_reason);
  if (model->hook.authorize && !model->hook.authorize(request, &*object, nullptr)) {
    return refuse(request, *model, *object, admin_page::superuser_only_reason(request));
  }

  if (request.method() != Method::post) {
    auto data = admin_page::page_data(request, request.translate("Are you sure?"));
    admin_page::add_model_crumbs(request, data, *model);
    admin_page::add_crumb(data, object->display, admin_page::change_url(request, *model, object->id));
    admin_page::add_crumb(data, request.translate("Delete"));
    data.set("QUESTION", admin_page::object_message(request,
                                                    gettext_noop("Are you sure you want to delete the {model} "
                                                                 "“{object}”?"),
                                                    *model, object->display));
    auto& form = data.add_row("CONFIRM");
    form.set("URL", admin_page::delete_url(request, *model, object->id));
    form.set("CANCEL_URL", admin_page::change_url(request, *model, object->id));
    admin_page::add_object_to_delete(request, form, *model, *object);
    return request.render("admin/delete_confirmation.html", data);
  }

  auto outcome = admin_page::transact(request.db(), "admin delete of " + model->key(), [&] {
    DeleteOutcome result;
    auto current = model->hook.load(request, *id);
    if (!current) {
      result.status = 404;
      return result;
    }
    if (model->hook.authorize && !model->hook.authorize(request, &*current, nullptr)) {
      core_log().warn("user {} may not delete {} {}; answered 403, nothing deleted", admin_page::actor_name(request),
                      model->key(), *id);
      result.status = 403;
      return result;
    }
    auto removed = model->hook.remove(request, *current);
    if (!removed.ok()) {
      result.problem = removed.errors.begin()->second;
      return result;
    }
    record_log_entry(request.db(), {.user_id = request.user()->id,
                                    .username = admin_page::actor_name(request),
                                    .app_label = model->hook.app_label,
                                    .model_name = model->hook.model_name,
                                    .object_id = current->id,
                                    .object_repr = current->display,
                                    .action = AdminLogAction::deletion,
                                    .change_message = "{}"});
    result.after_commit = std::move(removed.after_commit);
    result.commit = true;
    return result;
  });
  if (outcome.status == 403) return refuse(request, *model, *object, admin_page::superuser_only_reason(request));
  if (outcome.status != 200) return Response::error(outcome.status);
  if (!outcome.problem.empty()) return refuse(request, *model, *object, outcome.problem);

  for (auto& work : outcome.after_commit) work();
  core_log().info("user {} deleted {} {} ({}) in the admin", admin_page::actor_name(request), model->key(), *id,
                  object->display);
  request.add_message(MessageLevel::success,
                      admin_page::object_message(request, gettext_noop("The {model} “{object}” was deleted successfully."),
                                                 *model, object->display));
  return Response::redirect(admin_page::list_url(request, *model));
}

Response history(Request& request, AdminSite& site) {
  const auto* model = admin_page::model_of(request, site);
  auto id = admin_page::object_id_of(request);
  if (!model || !id) return Response::error(404);
  if (!rights_of(request, *model).view) return Response::error(403);

  auto entries = object_history(request.db(), model->hook.app_label, model->hook.model_name, *id);
  auto object = model->hook.load(request, *id);
  if (!object && entries.empty()) return Response::error(404);
  std::string name = object ? object->display : entries.front().object_repr;

  auto data = admin_page::page_data(request, text::fill(request.translate("Change history: {object}"), {{"object", name}}));
  admin_page::add_model_crumbs(request, data, *model);
  admin_page::add_crumb(data, name, object ? admin_page::change_url(request, *model, *id) : std::string());
  admin_page::add_crumb(data, request.translate("History"));
  for (const auto& entry : entries) {
    auto& row = data.add_row("ENTRY");
    row.set("TIME", text::format_eve_time(entry.action_time));
    row.set("USER", entry.username);
    switch (entry.action) {
      case AdminLogAction::addition: row.set("ACTION", request.translate("Added")); break;
      case AdminLogAction::change: row.set("ACTION", request.translate("Changed")); break;
      case AdminLogAction::deletion: row.set("ACTION", request.translate("Deleted")); break;
      case AdminLogAction::action: row.set("ACTION", request.translate("Action")); break;
    }
    if (entry.action == AdminLogAction::action) {
      row.add_row("CHANGE").set("TEXT", text::fill(request.translate("Ran the action \xE2\x80\x9C{action}\xE2\x80\x9D."),
                                             {{"action", request.translate(parse_action_label(entry.change_message))}}));
    }
    for (const auto& change : parse_field_changes(entry.change_message)) {
      row.add_row("CHANGE").set("TEXT", admin_page::describe_change(request, change));
    }
  }
  if (entries.empty()) data.show("NO_ENTRIES");
  return request.render("admin/object_history.html", data);
}

}  // namespace aa::core::admin_views
