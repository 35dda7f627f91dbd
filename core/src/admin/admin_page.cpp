#include "admin/admin_page.hpp"

#include <charconv>

#include "web/text.hpp"

namespace aa::core::admin_page {
namespace {

UrlParams model_params(const ModelAdmin& model) {
  return {{"app_label", model.hook.app_label}, {"model_name", model.hook.model_name}};
}

UrlParams object_params(const ModelAdmin& model, long long id) {
  auto params = model_params(model);
  params.emplace_back("object_id", std::to_string(id));
  return params;
}

}  // namespace

const ModelAdmin* model_of(Request& request, AdminSite& site) {
  return site.find(request.path_param("app_label"), request.path_param("model_name"));
}

std::optional<long long> object_id_of(Request& request) {
  auto text = request.path_param("object_id");
  long long id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

TemplateData page_data(Request& request, const std::string& title) {
  TemplateData data;
  data.set("TITLE", title);
  data.set("HEADING", title);
  data.add_row("EXTRA_CSS").set("URL", "admin/css/admin.css");
  data.add_row("EXTRA_JS").set("URL", "admin/js/admin.js");
  add_crumb(data, request.translate("Home"), request.url_for("admin:index"));
  return data;
}

void add_crumb(TemplateData& data, const std::string& text, const std::string& url) {
  auto& crumb = data.add_row("CRUMB");
  crumb.set("TEXT", text);
  if (url.empty()) {
    crumb.show("CURRENT");
  } else {
    crumb.add_row("LINK").set("URL", url);
  }
}

void add_model_crumbs(Request& request, TemplateData& data, const ModelAdmin& model, bool link_list) {
  const auto& app_name = model.hook.app_verbose_name.empty() ? model.hook.app_label : model.hook.app_verbose_name;
  add_crumb(data, request.translate(app_name), request.url_for("admin:index") + "#app-" + model.hook.app_label);
  add_crumb(data, model_plural(request, model), link_list ? list_url(request, model) : std::string());
}

std::string list_url(Request& request, const ModelAdmin& model) {
  return request.url_for("admin:changelist", model_params(model));
}
std::string add_url(Request& request, const ModelAdmin& model) {
  return request.url_for("admin:add", model_params(model));
}
std::string change_url(Request& request, const ModelAdmin& model, long long id) {
  return request.url_for("admin:change", object_params(model, id));
}
std::string delete_url(Request& request, const ModelAdmin& model, long long id) {
  return request.url_for("admin:delete", object_params(model, id));
}
std::string history_url(Request& request, const ModelAdmin& model, long long id) {
  return request.url_for("admin:history", object_params(model, id));
}

std::string model_name(Request& request, const ModelAdmin& model) { return request.translate(model.hook.verbose_name); }
std::string model_plural(Request& request, const ModelAdmin& model) {
  return request.translate(model.hook.verbose_name_plural);
}

std::string object_message(Request& request, std::string_view msgid, const ModelAdmin& model,
                           const std::string& object) {
  return text::fill(request.translate(msgid), {{"model", model_name(request, model)}, {"object", object}});
}

void add_object_to_delete(Request& request, TemplateData& form, const ModelAdmin& model, const AdminObject& object) {
  auto& row = form.add_row("OBJECT");
  row.set("TEXT", object.display);
  if (!model.hook.deleted_with) return;

  auto lines = model.hook.deleted_with(request, object);
  if (lines.empty()) return;
  auto& related = row.add_row("DELETED_WITH");
  for (const auto& line : lines) related.add_row("ITEM").set("TEXT", line);
}

std::string actor_name(Request& request) {
  const User* user = request.user();
  return user ? user->username : std::string();
}

std::string superuser_only_reason(Request& request) {
  return request.translate(
      "Only superusers may set staff or superuser status, change permissions, change or delete a superuser's "
      "account, or add or remove members of a restricted group. Nothing was changed.");
}


std::string describe_change(Request& request, const FieldChange& change) {
  auto label = request.translate(change.label);
  auto quoted = [&](const std::vector<std::string>& values) {
    std::string text;
    for (const auto& value : values) {
      std::string shown = change.is_boolean ? (value == "1" ? request.translate("Yes") : request.translate("No"))
                                            : value;
      text += (text.empty() ? "" : ", ") + std::string("\xE2\x80\x9C") + shown + "\xE2\x80\x9D";
    }
    return text.empty() ? std::string("-") : text;
  };
  if (change.is_list) {
    std::string text;
    if (!change.after.empty()) text += text::fill(request.translate("added {values}"), {{"values", quoted(change.after)}});
    if (!change.before.empty()) {
      if (!text.empty()) text += "; ";
      text += text::fill(request.translate("removed {values}"), {{"values", quoted(change.before)}});
    }
    return text::fill(request.translate("{field}: {changes}."), {{"field", label}, {"changes", text}});
  }
  return text::fill(request.translate("{field}: from {before} to {after}."),
              {{"field", label}, {"before", quoted(change.before)}, {"after", quoted(change.after)}});
}

}  // namespace aa::core::admin_page
