// The list page of a model: search, filters, sorting, pagination, and the
// bulk actions on the selected rows ("delete selected" with a confirmation
// page, and the actions core and plugins register).
#include <charconv>
#include <map>

#include "aa/http_client.hpp"
#include "admin/admin_form.hpp"
#include "admin/admin_history.hpp"
#include "admin/admin_page.hpp"
#include "admin/admin_views.hpp"
#include "admin/models/admin_support.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core::admin_views {
namespace {

constexpr std::size_t kMaxSearchCharacters = 200;
/// More selected rows than this are refused, so one action stays bounded.
constexpr std::size_t kMaxSelected = 1000;
constexpr const char* kDeleteSelected = "delete_selected";

// The list page's state from its query string, already checked.
struct ListState {
  std::string search;
  std::map<std::string, std::string> filters;
  std::string order;  ///< Column key, or empty for the model's default.
  bool descending = false;
  long long page = 1;
};

std::string query_of(const ListState& state) {
  std::string query;
  auto add = [&](const std::string& name, const std::string& value) {
    query += (query.empty() ? "?" : "&") + url_encode(name) + "=" + url_encode(value);
  };
  if (!state.search.empty()) add("q", state.search);
  for (const auto& [key, value] : state.filters) add("f_" + key, value);
  if (!state.order.empty()) add("o", (state.descending ? "-" : "") + state.order);
  if (state.page > 1) add("p", std::to_string(state.page));
  return query;
}

bool is_sortable(const ModelAdmin& model, const std::string& key) {
  for (const auto& column : model.hook.columns) {
    if (column.key == key) return column.sortable;
  }
  return false;
}

ListState read_state(Request& request, const ModelAdmin& model, std::string& search_problem) {
  ListState state;
  auto search = request.query("q").value_or("");
  auto length = text::utf8_length(search);
  if (!length) {
    search_problem = request.translate("The search text is not valid UTF-8, so it was ignored.");
  } else if (*length > kMaxSearchCharacters) {
    search_problem = text::fill(request.translate("The search text is longer than {max} characters, so it was ignored."),
                          {{"max", std::to_string(kMaxSearchCharacters)}});
  } else if (model.hook.searchable) {
    state.search = search;
  }

  for (const auto& filter : model.hook.filters) {
    auto value = request.query("f_" + filter.key);
    if (!value) continue;
    for (const auto& choice : filter_choices(request, filter)) {
      if (choice.value == *value) state.filters[filter.key] = *value;
    }
  }

  auto order = request.query("o").value_or(model.hook.default_order);
  bool descending = order.starts_with("-");
  if (descending) order.erase(0, 1);
  if (is_sortable(model, order)) {
    state.order = order;
    state.descending = descending;
  }

  auto page_text = request.query("p").value_or("1");
  long long page = 1;
  auto [end, error] = std::from_chars(page_text.data(), page_text.data() + page_text.size(), page);
  if (error == std::errc() && end == page_text.data() + page_text.size() && page >= 1) state.page = page;
  return state;
}

void add_filters(Request& request, const ModelAdmin& model, const ListState& state, const std::string& base,
                 TemplateData& data) {
  for (const auto& filter : model.hook.filters) {
    auto& row = data.add_row("FILTER");
    row.set("LABEL", text::fill(request.translate("By {filter}"), {{"filter", request.translate(filter.label)}}));
    ListState all = state;
    all.filters.erase(filter.key);
    all.page = 1;
    auto& any = row.add_row("CHOICE");
    any.set("LABEL", request.translate("All"));
    any.set("URL", base + query_of(all));
    any.show_if("SELECTED", !state.filters.contains(filter.key));
    for (const auto& choice : filter_choices(request, filter)) {
      ListState chosen = all;
      chosen.filters[filter.key] = choice.value;
      auto& option = row.add_row("CHOICE");
      option.set("LABEL", choice.label);
      option.set("URL", base + query_of(chosen));
      auto selected = state.filters.find(filter.key);
      option.show_if("SELECTED", selected != state.filters.end() && selected->second == choice.value);
    }
  }
}

void add_headers(Request& request, const ModelAdmin& model, const ListState& state, const std::string& base,
                 TemplateData& data) {
  for (const auto& column : model.hook.columns) {
    auto& header = data.add_row("HEADER");
    header.set("LABEL", request.translate(column.label));
    if (!column.sortable) continue;
    ListState sorted = state;
    sorted.order = column.key;
    sorted.descending = state.order == column.key && !state.descending;
    sorted.page = 1;
    auto& link = header.add_row("SORT");
    link.set("URL", base + query_of(sorted));
    if (state.order == column.key) link.show(state.descending ? "DESCENDING" : "ASCENDING");
  }
}

void add_cell(const AdminColumn& column, const std::string& text, const std::string& link, TemplateData& row) {
  auto& cell = row.add_row("CELL");
  if (column.kind == AdminColumnKind::boolean) {
    cell.show(text == "1" ? "YES" : "NO");
    return;
  }
  std::string shown = text;
  if (column.kind == AdminColumnKind::time && !text.empty()) {
    long long seconds = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (error == std::errc() && end == text.data() + text.size()) shown = text::format_eve_time(seconds);
  }
  if (shown.empty()) shown = "-";
  if (link.empty()) {
    cell.add_row("PLAIN").set("TEXT", shown);
  } else {
    auto& linked = cell.add_row("LINKED");
    linked.set("TEXT", shown);
    linked.set("URL", link);
  }
}

void add_pages(Request& request, const ListState& state, long long pages, const std::string& base, TemplateData& data) {
  if (pages <= 1) return;
  auto& pagination = data.add_row("PAGINATION");
  // The first two, the last two and three around the current page.
  long long previous_shown = 0;
  for (long long page = 1; page <= pages; ++page) {
    bool near = page <= 2 || page > pages - 2 || (page >= state.page - 2 && page <= state.page + 2);
    if (!near) continue;
    if (previous_shown && page > previous_shown + 1) pagination.add_row("PAGE").show("GAP");
    previous_shown = page;
    ListState at = state;
    at.page = page;
    auto& row = pagination.add_row("PAGE");
    auto& number = row.add_row(page == state.page ? "CURRENT" : "OTHER");
    number.set("NUMBER", page);
    number.set("URL", base + query_of(at));
  }
  pagination.set("LABEL", request.translate("Pages"));
}

std::vector<const AdminAction*> offered_actions(Request& request, const ModelAdmin& model) {
  std::vector<const AdminAction*> actions;
  for (const auto& action : model.hook.actions) {
    if (may_run(request, model, action)) actions.push_back(&action);
  }
  return actions;
}

Response list_page(Request& request, const ModelAdmin& model) {
  auto rights = rights_of(request, model);
  std::string search_problem;
  auto state = read_state(request, model, search_problem);
  auto base = admin_page::list_url(request, model);

  auto data = admin_page::page_data(request, admin_page::model_plural(request, model));
  admin_page::add_model_crumbs(request, data, model, false);
  if (!search_problem.empty()) data.add_row("SEARCH_PROBLEM").set("TEXT", search_problem);
  if (rights.add) {
    auto& add = data.add_row("ADD");
    add.set("URL", admin_page::add_url(request, model));
    add.set("TEXT", text::fill(request.translate("Add {model}"), {{"model", admin_page::model_name(request, model)}}));
  }
  if (model.hook.searchable) {
    auto& search = data.add_row("SEARCH");
    search.set("URL", base);
    search.set("QUERY", state.search);
    for (const auto& [key, value] : state.filters) {
      auto& hidden = search.add_row("HIDDEN");
      hidden.set("NAME", "f_" + key);
      hidden.set("VALUE", value);
    }
    if (!state.order.empty()) {
      auto& hidden = search.add_row("HIDDEN");
      hidden.set("NAME", "o");
      hidden.set("VALUE", (state.descending ? "-" : "") + state.order);
    }
  }
  data.set("LIST_CLASS", model.hook.filters.empty() ? "col-12" : "col-lg-9");
  if (!model.hook.filters.empty()) add_filters(request, model, state, base, data.add_row("FILTERS"));
  add_headers(request, model, state, base, data);

  AdminListQuery query;
  query.search = state.search;
  query.filters = state.filters;
  query.order_by = state.order;
  query.descending = state.descending;
  query.limit = model.hook.page_size;
  query.offset = (state.page - 1) * model.hook.page_size;
  auto page = model.hook.list(request, query);
  long long pages = std::max<long long>(1, (page.total + model.hook.page_size - 1) / model.hook.page_size);
  if (state.page > pages && page.total > 0) {
    state.page = pages;
    return Response::redirect(base + query_of(state));
  }

  auto actions = offered_actions(request, model);
  bool delete_offered = rights.remove;
  bool selectable = delete_offered || !actions.empty();
  for (const auto& row : page.rows) {
    auto& out = data.add_row("ROW");
    out.set("ID", row.id);
    if (selectable) out.show("SELECT");
    for (std::size_t i = 0; i < model.hook.columns.size(); ++i) {
      std::string text = i < row.cells.size() ? row.cells[i] : std::string();
      add_cell(model.hook.columns[i], text, i == 0 ? admin_page::change_url(request, model, row.id) : std::string(),
               out);
    }
  }
  if (page.rows.empty()) data.show("EMPTY");
  if (selectable) {
    auto& form = data.add_row("ACTIONS");
    form.set("URL", base + query_of(state));
    if (delete_offered) {
      auto& option = form.add_row("ACTION");
      option.set("NAME", kDeleteSelected);
      option.set("LABEL", text::fill(request.translate("Delete selected {models}"),
                               {{"models", admin_page::model_plural(request, model)}}));
    }
    for (const auto* action : actions) {
      auto& option = form.add_row("ACTION");
      option.set("NAME", action->name);
      option.set("LABEL", model.action_label(request, *action));
    }
    data.show("SELECT_HEADER");
  }

  data.set("COUNT", text::fill(request.translate("{count} in total"), {{"count", std::to_string(page.total)}}));
  add_pages(request, state, pages, base, data);
  return request.render("admin/change_list.html", data);
}

// The selected ids of an action POST; nothing when one is not an id.
std::optional<std::vector<long long>> selected_ids(Request& request) {
  std::vector<long long> ids;
  for (const auto& text : request.form_all("_selected_action")) {
    long long id = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  return ids;
}

struct BulkDelete {
  bool commit = false;
  bool forbidden = false;
  std::vector<std::string> forbidden_names;
  std::string problem;
  std::vector<std::string> names;
  std::vector<std::function<void()>> after_commit;
};

Response confirm_bulk_delete(Request& request, const ModelAdmin& model, const std::vector<AdminObject>& objects) {
  auto data = admin_page::page_data(request, request.translate("Are you sure?"));
  admin_page::add_model_crumbs(request, data, model);
  admin_page::add_crumb(data, text::fill(request.translate("Delete selected {models}"),
                                   {{"models", admin_page::model_plural(request, model)}}));
  data.set("QUESTION",
           text::fill(request.translate("Are you sure you want to delete the selected {models}? All of the following "
                                  "objects will be deleted:"),
                {{"models", admin_page::model_plural(request, model)}}));
  auto& form = data.add_row("CONFIRM");
  form.set("URL", std::string(request.target()));
  form.set("CANCEL_URL", admin_page::list_url(request, model));
  form.add_row("BULK").set("ACTION", kDeleteSelected);
  for (const auto& object : objects) {
    admin_page::add_object_to_delete(request, form, model, object);
    form.add_row("SELECTED").set("ID", object.id);
  }
  return request.render("admin/delete_confirmation.html", data);
}

// Renders why a staff user may not delete the selection, naming the
// objects only a superuser may delete.
Response reject_bulk_delete(Request& request, const ModelAdmin& model, const std::vector<std::string>& names) {
  auto data = admin_page::page_data(request, request.translate("Cannot delete"));
  admin_page::add_model_crumbs(request, data, model);
  data.add_row("REFUSED").set("TEXT", admin_page::superuser_only_reason(request) + " " +
                                          text::fill(request.translate("Selected for deletion: {objects}."),
                                                     {{"objects", quoted_list(names)}}));
  return request.render("admin/delete_confirmation.html", data, 403);
}

Response delete_selected(Request& request, const ModelAdmin& model, const std::vector<long long>& ids) {
  if (!rights_of(request, model).remove) return Response::error(403);

  std::vector<AdminObject> objects;
  for (long long id : ids) {
    if (auto object = model.hook.load(request, id)) objects.push_back(std::move(*object));
  }
  if (request.form("post").value_or("") != "yes") {
    std::vector<std::string> forbidden;
    for (const auto& object : objects) {
      if (model.hook.authorize && !model.hook.authorize(request, &object, nullptr)) forbidden.push_back(object.display);
    }
    if (!forbidden.empty()) return reject_bulk_delete(request, model, forbidden);
    return confirm_bulk_delete(request, model, objects);
  }

  auto outcome = admin_page::transact(request.db(), "bulk delete of " + model.key(), [&] {
    BulkDelete result;
    for (long long id : ids) {
      auto object = model.hook.load(request, id);
      if (!object) continue;
      if (!object->deletable) {
        result.problem = object->undeletable_reason;
        return result;
      }
      if (model.hook.authorize && !model.hook.authorize(request, &*object, nullptr)) {
        core_log().warn("user {} may not delete {} {}; answered 403, nothing of the selection deleted",
                        admin_page::actor_name(request), model.key(), id);
        result.forbidden = true;
        result.forbidden_names.push_back(object->display);
        return result;
      }
      auto removed = model.hook.remove(request, *object);
      if (!removed.ok()) {
        result.problem = removed.errors.begin()->second;
        return result;
      }
      record_log_entry(request.db(), {.user_id = request.user()->id,
                                      .username = admin_page::actor_name(request),
                                      .app_label = model.hook.app_label,
                                      .model_name = model.hook.model_name,
                                      .object_id = object->id,
                                      .object_repr = object->display,
                                      .action = AdminLogAction::deletion,
                                      .change_message = "{}"});
      result.names.push_back(object->display);
      for (auto& work : removed.after_commit) result.after_commit.push_back(std::move(work));
    }
    result.commit = true;
    return result;
  });
  if (outcome.forbidden) return reject_bulk_delete(request, model, outcome.forbidden_names);
  if (!outcome.problem.empty()) {
    request.add_message(MessageLevel::error,
                        text::fill(request.translate("Nothing was deleted: {reason}"), {{"reason", outcome.problem}}));
    return Response::redirect(admin_page::list_url(request, model));
  }
  for (auto& work : outcome.after_commit) work();
  core_log().info("user {} deleted {} {} object(s) in the admin", admin_page::actor_name(request), outcome.names.size(),
                  model.key());
  request.add_message(MessageLevel::success,
                      text::fill(request.translate("Successfully deleted {count} {models}."),
                           {{"count", std::to_string(outcome.names.size())},
                            {"models", admin_page::model_plural(request, model)}}));
  return Response::redirect(admin_page::list_url(request, model));
}

struct Recorded {
  bool commit = true;
};

Response run_action(Request& request, const ModelAdmin& model, const AdminAction& action,
                    const std::vector<long long>& ids) {
  std::vector<AdminObject> objects;
  std::vector<long long> existing;
  for (long long id : ids) {
    if (auto object = model.hook.load(request, id)) {
      existing.push_back(id);
      objects.push_back(std::move(*object));
    }
  }
  auto result = action.run(request, existing);

  // NOTE: a label with placeholders is stored filled in, in English, so the
  // history shows it untranslated.
  auto label_args = model.action_label_args.find(action.name);
  auto history_label =
      label_args == model.action_label_args.end() ? action.label : text::fill(action.label, label_args->second);

  admin_page::transact(request.db(), "history of admin action " + action.name, [&] {
    for (const auto& object : objects) {
      record_log_entry(request.db(), {.user_id = request.user()->id,
                                      .username = admin_page::actor_name(request),
                                      .app_label = model.hook.app_label,
                                      .model_name = model.hook.model_name,
                                      .object_id = object.id,
                                      .object_repr = object.display,
                                      .action = AdminLogAction::action,
                                      .change_message = action_message_for(history_label)});
    }
    return Recorded{};
  });
  core_log().info("user {} ran admin action {} on {} {} object(s)", admin_page::actor_name(request), action.name,
                  existing.size(), model.key());
  if (!result.message.empty()) request.add_message(result.level, result.message);
  return Response::redirect(std::string(request.target()));
}

Response run_bulk(Request& request, const ModelAdmin& model) {
  auto name = request.form("action").value_or("");
  auto back = std::string(request.target());
  auto ids = selected_ids(request);
  if (!ids) {
    request.add_message(MessageLevel::error, request.translate("The selection was not valid; select the rows again."));
    return Response::redirect(back);
  }
  if (ids->empty()) {
    request.add_message(MessageLevel::warning,
                        request.translate("Items must be selected in order to perform actions on them. No items have "
                                          "been changed."));
    return Response::redirect(back);
  }
  if (ids->size() > kMaxSelected) {
    request.add_message(MessageLevel::error,
                        text::fill(request.translate("Select at most {max} rows for one action. No items have been changed."),
                             {{"max", std::to_string(kMaxSelected)}}));
    return Response::redirect(back);
  }

  if (name == kDeleteSelected) return delete_selected(request, model, *ids);
  for (const auto& action : model.hook.actions) {
    if (action.name != name) continue;
    if (!may_run(request, model, action)) return Response::error(403);
    return run_action(request, model, action, *ids);
  }
  request.add_message(MessageLevel::warning, request.translate("No action selected."));
  return Response::redirect(back);
}

}  // namespace

Response changelist(Request& request, AdminSite& site) {
  const auto* model = admin_page::model_of(request, site);
  if (!model) return Response::error(404);
  if (!rights_of(request, *model).view) return Response::error(403);
  if (request.method() == Method::post) return run_bulk(request, *model);
  return list_page(request, *model);
}

}  // namespace aa::core::admin_views
