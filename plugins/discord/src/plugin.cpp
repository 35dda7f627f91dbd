// The Discord service plugin, as Alliance Auth's services.modules.discord:
// members link their Discord account and join the guild through OAuth2.
// Registers the permission, schema, settings, routes and the ServiceHook.
#include <soci/soci.h>

#include <memory>

#include "aa/context.hpp"
#include "aa/plugin.hpp"
#include "migrations.hpp"
#include "rejected_roles.hpp"
#include "service.hpp"
#include "tasks.hpp"

namespace discord_service {
namespace {

void register_routes(aa::Registry& registry, std::shared_ptr<Shared> shared) {
  using aa::Method;
  auto view = [shared](aa::Response (*function)(Shared&, aa::Request&)) {
    return [shared, function](aa::Request& request) { return function(*shared, request); };
  };
  registry.add_urls({
      .url_namespace = "discord",
      .base_path = "/discord/",
      .routes =
          {
              {.pattern = "activate/",
               .name = "activate",
               .view = view(activate_view),
               .permissions = {kAccessPermission}},
              {.pattern = "callback/",
               .name = "callback",
               .view = view(callback_view),
               .permissions = {kAccessPermission}},
              {.pattern = "add_bot/",
               .name = "add_bot",
               .view = view(add_bot_view),
               .access = aa::Access::superuser},
              {.pattern = "deactivate/",
               .name = "deactivate",
               .methods = {Method::post},
               .view = view(deactivate_view),
               .permissions = {kAccessPermission}},
          },
  });
}

}  // namespace

class DiscordPlugin final : public aa::Plugin {
 public:
  std::string name() const override { return "discord"; }
  std::string version() const override { return "1.0.0"; }

  void register_hooks(aa::Registry& registry) override {
    registry.add_permission(
        {.app_label = "discord", .codename = "access_discord", .name = "Can access the Discord service"});
    for (auto& migration : migrations()) registry.add_migration(std::move(migration));
    for (auto& setting : setting_declarations()) registry.add_setting(std::move(setting));

    auto& context = registry.context();
    auto& logger = context.logger("discord");
    auto settings = read_settings(context.settings());
    auto store = aa::discord::make_rate_limit_store(context.settings(), &logger);
    auto client = std::make_unique<aa::discord::Client>(settings.client_options(), store);
    auto page_options = settings.client_options();
    page_options.max_rate_limit_wait = kPageRateLimitWait;
    auto page_client = std::make_unique<aa::discord::Client>(page_options, store);
    auto shared = std::shared_ptr<Shared>(
        new Shared{context, std::move(settings), logger, std::move(client), std::move(page_client)});
    if (!shared->settings.complete()) {
      logger.warning("the Discord service is not configured yet: set plugins.discord.app_id, app_secret, bot_token, "
                     "callback_url and guild_id");
    }

    register_routes(registry, shared);
    register_tasks(registry, shared);
    registry.add_service(std::make_shared<DiscordService>(shared));

    // Group, state and main character changes arrive through the host's
    // service tasks, which call DiscordService::update_groups and
    // sync_nickname; those enqueue the Discord tasks.

    // A deleted group's rejected role name is of no use any more.
    registry.subscribe(aa::Signal::group_deleted, [shared](aa::Context& host, const aa::SignalEvent& event) {
      soci::session sql(host.database().pool());
      if (forget_rejected_role(sql, false, event.group_id)) {
        shared->logger.info("group " + std::to_string(event.group_id) +
                            " deleted; its record of a role name Discord rejected is deleted too");
      }
    });
  }
};

}  // namespace discord_service

AA_PLUGIN(discord_service::DiscordPlugin)
