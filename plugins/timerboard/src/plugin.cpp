// The timerboard plugin: structure timers, as Alliance Auth's
// allianceauth.timerboard app. Registers the permissions, schema, settings,
// routes, menu item and the clean-up when a user is deleted.
#include <soci/soci.h>

#include <memory>
#include <stdexcept>

#include "aa/context.hpp"
#include "aa/plugin.hpp"
#include "migrations.hpp"
#include "timer_repository.hpp"
#include "views.hpp"

namespace timerboard {
namespace {

constexpr long long kDefaultPastDays = 30;
constexpr long long kMaxPastDays = 3650;

Options read_options(const aa::Settings& settings) {
  Options options;
  options.past_days = settings.int_or("plugins.timerboard.past_days", kDefaultPastDays);
  if (options.past_days < 1 || options.past_days > kMaxPastDays) {
    throw std::invalid_argument("plugins.timerboard.past_days is " + std::to_string(options.past_days) +
                                "; set it to a number of days from 1 to " + std::to_string(kMaxPastDays));
  }
  return options;
}

void register_routes(aa::Registry& registry, std::shared_ptr<const TimerViews> views) {
  using aa::Method;
  auto view = [views](aa::Response (TimerViews::*method)(aa::Request&) const) {
    return [views, method](aa::Request& request) { return ((*views).*method)(request); };
  };
  registry.add_urls({
      .url_namespace = "timerboard",
      .base_path = "/timers/",
      .routes =
          {
              {.pattern = "", .name = "view", .view = view(&TimerViews::list), .permissions = {kViewPermission}},
              {.pattern = "add/",
               .name = "add",
               .methods = {Method::get, Method::post},
               .view = view(&TimerViews::add),
               .permissions = {kManagePermission}},
              {.pattern = "edit/<int:id>/",
               .name = "edit",
               .methods = {Method::get, Method::post},
               .view = view(&TimerViews::edit),
               .permissions = {kManagePermission}},
              {.pattern = "remove/<int:id>/",
               .name = "delete",
               .methods = {Method::get, Method::post},
               .view = view(&TimerViews::remove),
               .permissions = {kManagePermission}},
          },
  });
}

}  // namespace

class Timerboard final : public aa::Plugin {
 public:
  std::string name() const override { return "timerboard"; }
  std::string version() const override { return "1.0.0"; }

  void register_hooks(aa::Registry& registry) override {
    // Upstream declares both on its Timer model under the auth app label.
    // Its docs call the second one timer_manage, but its code checks
    // timer_management, so that is the code used here.
    registry.add_permission({.app_label = "auth", .codename = "timer_view", .name = "Can view Timerboard Timers"});
    registry.add_permission(
        {.app_label = "auth", .codename = "timer_management", .name = "Can Manage Timerboard timers"});

    for (auto& migration : migrations()) registry.add_migration(std::move(migration));

    registry.add_setting({.key = "past_days",
                          .type = aa::SettingDecl::Type::integer,
                          .default_value = std::to_string(kDefaultPastDays),
                          .help = "How many days back the timer list shows past timers (1 to 3650)."});
    auto& context = registry.context();
    auto views = std::make_shared<const TimerViews>(read_options(context.settings()), context.logger("timerboard"));
    register_routes(registry, views);

    registry.add_menu_item({.text = "Structure Timers",
                            .classes = "fas fa-clock fa-fw",
                            .url_name = "timerboard:view",
                            .order = 1000,
                            .navactive = {"timerboard:"},
                            .permission = kViewPermission});

    // Upstream keeps a deleted user's timers and empties their user field.
    // The user admin emits user_deleted after the deletion is committed.
    registry.subscribe(aa::Signal::user_deleted, [](aa::Context& host, const aa::SignalEvent& event) {
      soci::session sql(host.database().pool());
      auto changed = forget_user(sql, event.user_id);
      if (changed > 0) {
        host.logger("timerboard")
            .info("user " + std::to_string(event.user_id) + " deleted; their " + std::to_string(changed) +
                  " timers keep the creator's character name");
      }
    });
  }
};

}  // namespace timerboard

AA_PLUGIN(timerboard::Timerboard)
