// The add and change forms: rendering the fields, checking a submitted
// form, and saving it with its history entry in one transaction.
#include "admin/admin_form.hpp"
#include "admin/admin_history.hpp"
#include "admin/admin_page.hpp"
#include "web/text.hpp"
#include "admin/admin_views.hpp"
#include "web/i18n.hpp"

namespace aa::core::admin_views {
namespace {

struct FormState {
  const ModelAdmin& model;
  const AdminObject* object;  ///< Null on the add form.
  const AdminValues& values;
  const std::map<std::string, std::string>& errors;
  const ChoiceCache& choices;
  bool can_write;
};

void add_readonly_value(Request& request, const AdminField& field, const FormState& form, TemplateData& row) {
  auto& shown = row.add_row("READONLY");
  if (field.type == AdminFieldType::boolean) {
    shown.show(form.values.flag(field.name) ? "YES" : "NO");
    return;
  }
  auto values = form.values.list(field.name);
  std::vector<std::string> labels;
  for (const auto& value : values) {
    if (!value.empty()) labels.push_back(form.choices.label(field.name, value));
  }
  if (labels.empty()) {
    shown.add_row("ITEM").set("TEXT", "-");
    return;
  }
  for (const auto& label : labels) shown.add_row("ITEM").set("TEXT", label);
  (void)request;
}

void add_input(const AdminField& field, const FormState& form, TemplateData& row) {
  auto value = form.values.get(field.name);
  switch (field.type) {
    case AdminFieldType::textarea: row.add_row("TEXTAREA").set("VALUE", value); return;
    case AdminFieldType::boolean: row.add_row("CHECKBOX").show_if("CHECKED", form.values.flag(field.name)); return;
    case AdminFieldType::choice:
    case AdminFieldType::multi_choice: {
      bool multiple = field.type == AdminFieldType::multi_choice;
      auto& select = row.add_row(multiple ? "MULTI" : "SELECT");
      auto chosen = form.values.list(field.name);
      if (!multiple) select.show_if("EMPTY_OPTION", !field.required || value.empty());
      for (const auto& choice : form.choices.of(field.name)) {
        auto& option = select.add_row("OPTION");
        option.set("VALUE", choice.value);
        option.set("LABEL", choice.label);
        option.show_if("SELECTED", std::find(chosen.begin(), chosen.end(), choice.value) != chosen.end());
      }
      return;
    }
    default: break;
  }
  auto& input = row.add_row("INPUT");
  input.set("VALUE", value);
  if (field.type == AdminFieldType::integer) {
    input.set("TYPE", "number");
    if (field.min_value != std::numeric_limits<long long>::min()) input.add_row("MIN").set("VALUE", field.min_value);
    if (field.max_value != std::numeric_limits<long long>::max()) input.add_row("MAX").set("VALUE", field.max_value);
  } else {
    input.set("TYPE", field.type == AdminFieldType::email ? "email" : "text");
    input.add_row("MAXLENGTH").set("VALUE", static_cast<long long>(field.max_length));
  }
}

void add_fields(Request& request, const FormState& form, TemplateData& data) {
  for (const auto& field : form.model.hook.fields) {
    if (!field.section.empty()) data.add_row("FIELD").add_row("SECTION").set("TITLE", request.translate(field.section));
    auto& row = data.add_row("FIELD");
    auto& body = row.add_row("BODY");
    body.set("NAME", field.name);
    body.set("ID", "id_" + field.name);
    body.set("LABEL", request.translate(field.label));
    body.show_if("REQUIRED", field.required);
    if (!field.help.empty()) body.add_row("HELP").set("TEXT", request.translate(field.help));
    if (auto error = form.errors.find(field.name); error != form.errors.end()) {
      body.add_row("ERROR").set("TEXT", error->second);
      body.show("INVALID");
    }
    if (form.can_write && field_editable(request, field, form.object)) {
      add_input(field, form, body);
    } else {
      add_readonly_value(request, field, form, body);
    }
  }
}

Response render_form(Request& request, const FormState& form, int status) {
  const auto& model = form.model;
  bool adding = form.object == nullptr;
  std::string title = adding ? text::fill(request.translate("Add {model}"), {{"model", admin_page::model_name(request, model)}})
                             : form.object->display;
  auto data = admin_page::page_data(request, title);
  admin_page::add_model_crumbs(request, data, model);
  admin_page::add_crumb(data, title);

  data.set("FORM_URL", adding ? admin_page::add_url(request, model)
                              : admin_page::change_url(request, model, form.object->id));
  if (!adding) {
    data.set("VERSION", values_version(form.object->values));
    for (const auto& [label, text] : form.object->details) {
      auto& detail = data.add_row("DETAIL");
      detail.set("LABEL", request.translate(label));
      detail.set("TEXT", text.empty() ? "-" : text);
    }
    data.add_row("HISTORY").set("URL", admin_page::history_url(request, model, form.object->id));
    if (rights_of(request, model).remove && form.object->deletable) {
      data.add_row("DELETE").set("URL", admin_page::delete_url(request, model, form.object->id));
    }
  }
  if (auto error = form.errors.find(""); error != form.errors.end()) data.add_row("FORM_ERROR").set("TEXT", error->second);
  if (!form.errors.empty()) data.show("HAS_ERRORS");
  add_fields(request, form, data);
  if (form.can_write) {
    auto& buttons = data.add_row("SAVE");
    buttons.show_if("ADD_ANOTHER", rights_of(request, model).add);
  } else {
    data.show("VIEW_ONLY");
  }
  return request.render("admin/change_form.html", data, status);
}

struct SaveOutcome {
  bool commit = false;
  int status = 200;  ///< 403 forbidden, 404 gone, 409 changed meanwhile, 400 invalid.
  std::optional<AdminObject> before;
  AdminValues values;
  std::map<std::string, std::string> errors;
  long long id = 0;
  std::string display;
  std::vector<std::function<void()>> after_commit;
};

// Checks and saves the submitted form in one transaction; the history
// entry is written in the same one.
SaveOutcome save_form(Request& request, const ModelAdmin& model, std::optional<long long> id, const ChoiceCache& choices) {
  return admin_page::transact(request.db(), "admin save of " + model.key(), [&] {
    SaveOutcome outcome;
    if (id) {
      outcome.before = model.hook.load(request, *id);
      if (!outcome.before) {
        outcome.status = 404;
        return outcome;
      }
    }
    const AdminObject* before = outcome.before ? &*outcome.before : nullptr;
    auto input = read_form(request, model, before, choices);
    outcome.values = input.values;
    if (!input.forbidden_field.empty()) {
      core_log().warn("user {} may not change field {} of {} {}; nothing saved", admin_page::actor_name(request),
                      input.forbidden_field, model.key(), id.value_or(0));
      outcome.status = 403;
      return outcome;
    }
    if (model.hook.authorize && !model.hook.authorize(request, before, &input.values)) {
      core_log().warn("user {} may not save {} {} with these values; answered 403, nothing saved",
                      admin_page::actor_name(request), model.key(), id.value_or(0));
      outcome.status = 403;
      return outcome;
    }
    if (before && request.form("_version").value_or("") != values_version(before->values)) {
      outcome.errors[""] = request.translate(
          "Someone else changed this object after you opened the form. Nothing was saved; the form now shows "
          "your values, and the current ones are in the history. Check them and save again.");
      outcome.status = 409;
      return outcome;
    }
    if (!input.errors.empty()) {
      outcome.errors = std::move(input.errors);
      outcome.status = 400;
      return outcome;
    }

    auto saved = model.hook.save(request, id, input.values);
    if (!saved.ok()) {
      outcome.errors = std::move(saved.errors);
      outcome.status = 400;
      return outcome;
    }
    auto after = model.hook.load(request, saved.id);
    if (!after) throw std::runtime_error("admin model " + model.key() + " saved object " + std::to_string(saved.id) +
                                         " but cannot load it");
    auto changes = diff_values(model, before ? &before->values : nullptr, after->values, choices);
    if (before && changes.empty()) {
      outcome.commit = true;
    } else {
      record_log_entry(request.db(), {.user_id = request.user()->id,
                                      .username = admin_page::actor_name(request),
                                      .app_label = model.hook.app_label,
                                      .model_name = model.hook.model_name,
                                      .object_id = saved.id,
                                      .object_repr = after->display,
                                      .action = before ? AdminLogAction::change : AdminLogAction::addition,
                                      .change_message = change_message_for(changes)});
      outcome.commit = true;
    }
    outcome.id = saved.id;
    outcome.display = after->display;
    outcome.after_commit = std::move(saved.after_commit);
    return outcome;
  });
}

Response handle_post(Request& request, const ModelAdmin& model, std::optional<long long> id) {
  ChoiceCache choices(request, model);
  auto outcome = save_form(request, model, id, choices);
  if (outcome.status == 404) return Response::error(outcome.status);
  // The form again with the reason, so the staff user keeps their values.
  if (outcome.status == 403) outcome.errors[""] = admin_page::superuser_only_reason(request);
  if (!outcome.commit) {
    // The form again, with the submitted values and the current object.
    const AdminObject* before = outcome.before ? &*outcome.before : nullptr;
    FormState form{model, before, outcome.values, outcome.errors, choices, true};
    return render_form(request, form, outcome.status);
  }

  for (auto& work : outcome.after_commit) work();
  core_log().info("user {} {} {} {} ({}) in the admin", admin_page::actor_name(request), id ? "changed" : "added",
                  model.key(), outcome.id, outcome.display);
  request.add_message(MessageLevel::success,
                      id ? admin_page::object_message(request, gettext_noop("The {model} “{object}” was changed "
                                                                            "successfully."),
                                                      model, outcome.display)
                         : admin_page::object_message(request, gettext_noop("The {model} “{object}” was added "
                                                                            "successfully."),
                                                      model, outcome.display));
  if (request.form("_continue")) return Response::redirect(admin_page::change_url(request, model, outcome.id));
  if (request.form("_addanother") && rights_of(request, model).add) {
    return Response::redirect(admin_page::add_url(request, model));
  }
  return Response::redirect(admin_page::list_url(request, model));
}

}  // namespace

Response add(Request& request, AdminSite& site) {
  const auto* model = admin_page::model_of(request, site);
  if (!model) return Response::error(404);
  if (!rights_of(request, *model).add) return Response::error(403);
  if (request.method() == Method::post) return handle_post(request, *model, std::nullopt);

  ChoiceCache choices(request, *model);
  auto values = initial_values(*model);
  std::map<std::string, std::string> no_errors;
  FormState form{*model, nullptr, values, no_errors, choices, true};
  return render_form(request, form, 200);
}

Response change(Request& request, AdminSite& site) {
  const auto* model = admin_page::model_of(request, site);
  auto id = admin_page::object_id_of(request);
  if (!model || !id) return Response::error(404);
  auto rights = rights_of(request, *model);
  if (!rights.view) return Response::error(403);
  if (request.method() == Method::post) {
    if (!rights.change) return Response::error(403);
    return handle_post(request, *model, id);
  }

  auto object = model->hook.load(request, *id);
  if (!object) return Response::error(404);
  ChoiceCache choices(request, *model);
  std::map<std::string, std::string> no_errors;
  FormState form{*model, &*object, object->values, no_errors, choices, rights.change};
  return render_form(request, form, 200);
}

}  // namespace aa::core::admin_views
