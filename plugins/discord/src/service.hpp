// The Discord service: the link flow views and the ServiceHook, sharing
// one SDK client and the plugin's settings.
#pragma once

#include <chrono>
#include <memory>

#include "aa/context.hpp"
#include "aa/discord.hpp"
#include "aa/service.hpp"
#include "settings.hpp"

namespace discord_service {

inline constexpr const char* kAccessPermission = "discord.access_discord";

/// What the bot needs on the guild: CREATE_INSTANT_INVITE (1 << 0, to add
/// members), KICK_MEMBERS (1 << 1), MANAGE_NICKNAMES (1 << 27) and
/// MANAGE_ROLES (1 << 28), as Discord's permission bits.
inline constexpr long long kBotPermissions = (1LL << 0) | (1LL << 1) | (1LL << 27) | (1LL << 28);

/// The maximum wait of a page for a Discord rate limit. A longer limit is
/// reported to the member. Tasks wait up to a minute, but a waiting page
/// occupies one of the daemon's few view threads, so a few members linking
/// during a global rate limit would stall every page of the site.
inline constexpr std::chrono::milliseconds kPageRateLimitWait{2000};

/// The state the views and the hook share, alive as long as the plugin.
struct Shared {
  aa::Context& context;
  DiscordSettings settings;
  aa::Logger& logger;
  /// The client of the tasks and the ServiceHook.
  std::unique_ptr<aa::discord::Client> client;
  /// The client of the link views, with the same rate limits and caches,
  /// which waits at most kPageRateLimitWait for a rate limit.
  std::unique_ptr<aa::discord::Client> page_client;
};

/// GET /discord/activate/: starts the link flow with a redirect to Discord.
aa::Response activate_view(Shared& shared, aa::Request& request);
/// GET /discord/callback/: adds the user to the guild and stores the link.
aa::Response callback_view(Shared& shared, aa::Request& request);
/// GET /discord/add_bot/ (superusers): sends the admin to Discord to add the
/// bot to the guild, upstream's "Link Discord Server" button.
aa::Response add_bot_view(Shared& shared, aa::Request& request);
/// POST /discord/deactivate/: removes the user from the guild and the link.
aa::Response deactivate_view(Shared& shared, aa::Request& request);

class DiscordService final : public aa::ServiceHook {
 public:
  explicit DiscordService(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  std::string name() const override { return "discord"; }
  std::string title() const override { return "Discord"; }
  aa::ServiceUrls service_urls() const override;
  std::string service_url() const override { return "https://discord.com/channels/@me"; }
  bool service_active_for_user(const aa::User& user) override;
  /// The host's tasks call these; each enqueues the Discord task of the
  /// same name (discord.update_groups, discord.update_nickname) with
  /// upstream's retries and the rate limits, and throws when the enqueue
  /// fails, so the host's task retries.
  void update_groups(const aa::User& user) override;
  void update_all_groups() override;
  void sync_nickname(const aa::User& user) override;
  bool supports_groups() const override { return true; }
  bool supports_nicknames() const override { return true; }
  /// Throws std::runtime_error when Discord refuses or cannot be reached;
  /// the link is kept then, for the host's task to retry.
  bool delete_user(const aa::User& user, bool notify_user) override;
  std::string render_service_ctrl(aa::Request& request) override;

 private:
  void enqueue_user_task(const char* task, const aa::User& user);

  std::shared_ptr<Shared> shared_;
};

/// Removes the user's Discord member from the guild (a member who already
/// left is fine) and deletes the link. Returns false when Discord refused;
/// the link is kept then, so a retry can finish the job. `unlinked_here`,
/// when given, is set to whether this call deleted the link row.
bool remove_discord_user(Shared& shared, aa::discord::Client& client, soci::session& sql, long long user_id,
                         bool* unlinked_here = nullptr);

}  // namespace discord_service
