// Helpers shared by the admin views: finding the model of the URL, page
// data common to every admin page, URLs of the model's pages, and write
// transactions that commit only when the view says so.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "aa/admin.hpp"
#include "aa/template.hpp"
#include "admin/admin_history.hpp"
#include "admin/admin_site.hpp"
#include "app/logging.hpp"
#include "db/retry.hpp"

namespace aa::core::admin_page {

/// The model named by the route's app_label and model_name, or nullptr.
const ModelAdmin* model_of(Request& request, AdminSite& site);
/// The route's object_id, or nothing when it is not a positive number.
std::optional<long long> object_id_of(Request& request);

/// Data every admin page starts with: the title, the admin stylesheet and
/// script, and the first breadcrumb ("Home" to the admin index).
TemplateData page_data(Request& request, const std::string& title);
/// Adds a breadcrumb; an empty `url` marks the current page.
void add_crumb(TemplateData& data, const std::string& text, const std::string& url = {});
/// Adds the breadcrumbs of a model: its app and its list page.
void add_model_crumbs(Request& request, TemplateData& data, const ModelAdmin& model, bool link_list = true);

std::string list_url(Request& request, const ModelAdmin& model);
std::string add_url(Request& request, const ModelAdmin& model);
std::string change_url(Request& request, const ModelAdmin& model, long long id);
std::string delete_url(Request& request, const ModelAdmin& model, long long id);
std::string history_url(Request& request, const ModelAdmin& model, long long id);

/// The verbose names, translated.
std::string model_name(Request& request, const ModelAdmin& model);
std::string model_plural(Request& request, const ModelAdmin& model);

/// "The {model} “{object}” was {what} successfully." style messages.
std::string object_message(Request& request, std::string_view msgid, const ModelAdmin& model,
                           const std::string& object);

/// One history line, e.g. "Active: from “Yes” to “No”." or
/// "Groups: added “Scouts”; removed “CEO”.".
std::string describe_change(Request& request, const FieldChange& change);

/// Adds `object` to a delete confirmation form, with the lines of what is
/// deleted with it when the model's hook names any.
void add_object_to_delete(Request& request, TemplateData& form, const ModelAdmin& model, const AdminObject& object);

/// The user's name for the history.
std::string actor_name(Request& request);

/// The explanation shown to a staff user whose change or deletion only a
/// superuser may make, translated.
std::string superuser_only_reason(Request& request);

/// Runs `body` in an aa::WriteTransaction on `sql` and commits it only when
/// the returned outcome's `commit` is true. A write that lost a race
/// (deadlock, duplicate key, busy database) runs again, at most three times
/// in all, so it sees the winner's rows; `body` must therefore have no
/// effects outside the database.
template <typename Body>
auto transact(soci::session& sql, std::string_view what, Body&& body) {
  for (int attempt = 1;; ++attempt) {
    try {
      aa::WriteTransaction transaction(sql);
      auto outcome = body();
      if (outcome.commit) transaction.commit();
      return outcome;
    } catch (const soci::soci_error& error) {
      if (attempt >= 3 || !is_retryable(error)) throw;
      core_log().warn("{} lost a race with another request (attempt {} of 3): {}; retrying", what, attempt,
                      error.what());
    }
  }
}

}  // namespace aa::core::admin_page
