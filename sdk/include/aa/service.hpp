// The interface of an external service (Discord, Mumble, forums, ...), named
// after Alliance Auth's ServicesHook. Every method has a default that does
// nothing, so a service implements only what it supports.
#pragma once

#include <string>
#include <vector>

#include "aa/export.hpp"
#include "aa/hooks.hpp"
#include "aa/models.hpp"

namespace aa {

/// Route names of the four standard actions on the /services/ page; an empty
/// name hides that button.
struct ServiceUrls {
  std::string activate;
  std::string deactivate;
  std::string reset_password;
  std::string set_password;
};

/// What the standard control row of a service shows; see render_service_row.
struct ServiceRow {
  /// The account name on the service; empty when the user has no account.
  std::string account_name;
  std::string service_url;
  struct Button {
    std::string url;
    std::string label;         ///< already translated
    std::string icon;          ///< Font Awesome classes, e.g. "fas fa-check"
    std::string button_class;  ///< Bootstrap classes, e.g. "btn-success"
    bool post = true;          ///< a form with the CSRF token; false for a link
  };
  std::vector<Button> buttons;
};

/// One external service. The host calls these methods from background tasks
/// (worker threads) unless noted. They may throw. The host then logs the error
/// with the service name and user id and retries where the task allows.
class AA_SDK_API ServiceHook {
 public:
  virtual ~ServiceHook() = default;

  /// Internal name, unique among services, e.g. "discord".
  virtual std::string name() const = 0;
  /// Name shown to users, e.g. "Discord".
  virtual std::string title() const { return name(); }
  /// The permission that grants access, by convention "<name>.access_<name>".
  virtual std::string access_permission() const { return name() + ".access_" + name(); }
  /// The service's own routes (activate, callback, ...), or none.
  virtual UrlHook urls() const { return {}; }
  /// The address shown on the /services/ page.
  virtual std::string service_url() const { return {}; }
  /// The standard action routes for the default control row.
  virtual ServiceUrls service_urls() const { return {}; }

  /// Deletes the user's account on the service; notifies them when
  /// `notify_user` is set. Returns true when an account was removed. Two
  /// tasks may call it for the same user at once, so only the call that
  /// actually removed the account should notify.
  virtual bool delete_user(const User& user, bool notify_user) {
    (void)user;
    (void)notify_user;
    return false;
  }
  /// Removes the user's account when they no longer have access.
  virtual void validate_user(const User& user) { (void)user; }
  /// Brings the user's groups on the service in line with their groups here.
  virtual void update_groups(const User& user) { (void)user; }
  /// update_groups for many users; services with rate limits override it.
  virtual void update_groups_bulk(const std::vector<User>& users) {
    for (const auto& user : users) update_groups(user);
  }
  /// update_groups for every user who has an account on the service.
  virtual void update_all_groups() {}
  /// Sets the user's nickname on the service from the name format.
  virtual void sync_nickname(const User& user) { (void)user; }
  virtual void sync_nicknames_bulk(const std::vector<User>& users) {
    for (const auto& user : users) sync_nickname(user);
  }
  /// True when the service offers update_groups (an admin action is added).
  virtual bool supports_groups() const { return false; }
  /// True when the service offers sync_nickname (an admin action is added).
  virtual bool supports_nicknames() const { return false; }

  /// True when the user has an account on the service. Called on the web
  /// request's worker thread.
  virtual bool service_active_for_user(const User& user) {
    (void)user;
    return false;
  }
  /// True when the /services/ page shows this service's row to the user.
  /// Called on the web request's worker thread.
  virtual bool show_service_ctrl(Request& request) { return request.has_perm(access_permission()); }
  /// The HTML of the service's row on /services/: a <tr> with four columns
  /// (service, account name, service URL, actions). Called on the web
  /// request's worker thread.
  virtual std::string render_service_ctrl(Request& request) = 0;
};

/// Renders the host's row template (services/service_ctrl.html) for the
/// /services/ page: title, account name or "Not active", service URL, and the
/// buttons, every value escaped.
AA_SDK_API std::string render_service_row(Request& request, const ServiceHook& service, const ServiceRow& row);

/// The row most services want: with an account, its name and the deactivate,
/// reset password and set password buttons whose routes service_urls() names;
/// without one, the activate button.
AA_SDK_API ServiceRow standard_service_row(Request& request, const ServiceHook& service,
                                           const std::string& account_name);

}  // namespace aa
