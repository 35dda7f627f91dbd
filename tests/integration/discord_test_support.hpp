// Shared steps of the Discord integration tests: the plugin's config for an
// emulator, the link flow as a browser runs it, and reading the member's
// roles back from the emulator.
#pragma once

#include <string>
#include <vector>

#include "discord_emulator_process.hpp"
#include "harness.hpp"

namespace aa::test::discord_test {

inline constexpr long long kKarmaFleetPilot = 2112000001;  // Kaelen Brightwater
inline constexpr long long kMiraPilot = 2112000004;        // Mira O'Sullivan, KarmaFleet as well

/// The callback URL registered with the application. The tests carry the
/// redirect to the daemon themselves, so its port does not matter.
inline const std::string kCallbackUrl = "http://127.0.0.1:9/discord/callback/";

/// The plugins.discord config for `emulator`, with name sync on and the
/// embedded queue polling every 100 ms. `extra_settings` are more lines
/// under plugins.discord, each indented by four spaces.
std::string discord_yaml(const DiscordEmulatorProcess& emulator, const std::string& extra_settings = {});

/// The query of the redirect to the callback URL, for the same path on the daemon.
std::string callback_query(const std::string& location);

/// Starts a link flow for the logged-in browser and lets the Discord user
/// authorize it. Returns the daemon path of the callback that Discord
/// redirects to, for the caller to request.
std::string authorized_callback(Browser& browser, long long discord_user_id);

/// Runs the link flow for the logged-in browser as the Discord user.
void link(Browser& browser, long long discord_user_id);

/// Runs the link flow and waits up to 15 seconds until the member has
/// `role` in the guild, as the link's own role update gives it.
void link_and_wait_for_role(Browser& browser, DiscordEmulatorProcess& emulator, long long discord_user_id,
                            const std::string& role = "Guest");

/// Grants discord.access_discord to every member of the state.
void grant_discord_access(Daemon& daemon, const std::string& state);

/// Waits up to 30 seconds until the task queue is empty: every enqueued
/// task has run, with its retries.
void wait_for_empty_task_queue(Daemon& daemon);

/// The names of the member's roles in the emulator's guild; empty when the
/// user is not a member.
std::vector<std::string> role_names_of(DiscordEmulatorProcess& emulator, long long discord_user_id);

bool has(const std::vector<std::string>& names, const std::string& name);

/// Marks cached permissions and users stale after a direct database change.
void bump_auth(Daemon& daemon);

}  // namespace aa::test::discord_test
