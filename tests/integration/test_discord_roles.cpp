// Discord role sync through the real daemon, the embedded task queue and the
// Discord emulator. Roles with reserved group names stay as they are. A role
// name Discord rejects notifies superusers once, without a retry loop. Joining
// or leaving a group on the group pages reaches Discord with the next task run.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <chrono>
#include <thread>

#include "aa/discord.hpp"
#include "discord_test_support.hpp"
#include "group_test_support.hpp"

using namespace aa::test;
using namespace aa::test::discord_test;
using namespace std::chrono_literals;
namespace sample = discord_sample;
namespace g = aa::core::groups;

namespace {

// Runs discord.update_groups for the user the way an admin would, and
// waits for it to finish.
void run_update_groups(Daemon& daemon, long long user_id) {
  auto called = daemon.cli({"call", "discord.update_groups", "{\"user_id\": " + std::to_string(user_id) + "}"});
  INFO(called.output);
  REQUIRE(called.status == 0);
  wait_for_empty_task_queue(daemon);
}

long long task_runs(Daemon& daemon, const std::string& task, const std::string& outcome) {
  long long runs = 0;
  daemon.db() << "SELECT COALESCE(SUM(runs), 0) FROM task_statistics WHERE task_name = :task AND outcome = :outcome",
      soci::use(task), soci::use(outcome), soci::into(runs);
  return runs;
}

long long notifications_of(Daemon& daemon, long long user_id, const std::string& title) {
  long long count = 0;
  daemon.db() << "SELECT COUNT(*) FROM notifications WHERE user_id = :user AND title = :title", soci::use(user_id),
      soci::use(title), soci::into(count);
  return count;
}

void rename_group(Daemon& daemon, long long group_id, const std::string& name) {
  auto group = g::load_group(daemon.db(), group_id);
  REQUIRE(group);
  group->name = name;
  save_group(daemon.db(), *group);
  bump_auth(daemon);
}

std::string role_id_named(DiscordEmulatorProcess& emulator, const std::string& name) {
  auto state = emulator.control("GET", "state");
  for (const auto& role : state.as_object().at("roles").as_array()) {
    if (role.as_object().at("name") == name.c_str()) return std::string(role.as_object().at("id").as_string());
  }
  return {};
}

void make_superuser(Daemon& daemon, long long user_id) {
  daemon.db() << "UPDATE users SET is_staff = 1, is_superuser = 1 WHERE id = :id", soci::use(user_id);
  bump_auth(daemon);
}

// A superuser (Mira's account) and a member (Kaelen's account, linked to
// Nelly on Discord), both with Discord access through Guest and linked.
struct LinkedPair {
  LinkedPair(Daemon& daemon, DiscordEmulatorProcess& discord) : admin(daemon.base_url()), member(daemon.base_url()) {
    grant_discord_access(daemon, "Guest");
    admin_id = log_in(daemon, admin, kMiraPilot);
    make_superuser(daemon, admin_id);
    link_and_wait_for_role(admin, discord, sample::mira_id);
    user_id = log_in(daemon, member, kKarmaFleetPilot);
    link_and_wait_for_role(member, discord, sample::nelly_id);
  }

  Browser admin;
  Browser member;
  long long admin_id = 0;
  long long user_id = 0;
};

// Sets the bot's roles on the emulator's guild, without any check.
void set_bot_roles(DiscordEmulatorProcess& discord, const std::vector<std::string>& role_ids) {
  std::string roles;
  for (const auto& id : role_ids) roles += (roles.empty() ? "\"" : ",\"") + id + "\"";
  discord.control("POST", "members", R"({"user_id":")" + std::to_string(sample::bot_id) + R"(","roles":[)" + roles +
                                         "]}");
}

}  // namespace

TEST_CASE("discord: roles with reserved names stay untouched") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    grant_discord_access(daemon, "Guest");

    // Another bot manages "Alpha Bots" on Discord; Nelly already has it.
    auto alpha = discord.control("POST", "roles", R"({"name":"Alpha Bots","position":1,"managed":false})");
    auto alpha_id = std::string(alpha.as_object().at("id").as_string());
    discord.control("POST", "members", R"({"user_id":")" + std::to_string(sample::nelly_id) + R"(","roles":[")" +
                                           alpha_id + R"("]})");

    // An admin reserves the name in another case on the admin site.
    Browser admin(daemon.base_url());
    auto admin_id = log_in(daemon, admin, kMiraPilot);
    make_superuser(daemon, admin_id);
    REQUIRE(admin.get("/admin/groupmanagement/reservedgroupname/add/").status == 200);
    auto reserved = admin.post("/admin/groupmanagement/reservedgroupname/add/",
                               {{"name", "alpha BOTS"}, {"reason", "Managed by the alpha bot"}});
    REQUIRE(reserved.status == 302);

    Browser member(daemon.base_url());
    auto user_id = log_in(daemon, member, kKarmaFleetPilot);
    link_and_wait_for_role(member, discord, sample::nelly_id);
    wait_for_empty_task_queue(daemon);
    CHECK(has(role_names_of(discord, sample::nelly_id), "Alpha Bots"));

    // A group of that name from before the reservation, as an import from
    // upstream brings, gets no role of its own.
    daemon.db() << "INSERT INTO auth_groups (name) VALUES ('ALPHA BOTS')";
    long long group_id = 0;
    daemon.db() << "SELECT id FROM auth_groups WHERE name = 'ALPHA BOTS'", soci::into(group_id);
    daemon.db() << "INSERT INTO user_groups (user_id, group_id) VALUES (:user, :grp)", soci::use(user_id),
        soci::use(group_id);
    bump_auth(daemon);
    discord.clear_requests();
    run_update_groups(daemon, user_id);

    CHECK(discord.request_count("get_guild_member") >= 1);
    CHECK(discord.request_count("create_guild_role") == 0);
    CHECK(role_id_named(discord, "ALPHA BOTS").empty());
    auto names = role_names_of(discord, sample::nelly_id);
    CHECK(has(names, "Alpha Bots"));
    CHECK(has(names, "Guest"));

    // Without the reservation the role is Auth's again: taken away, since
    // no group has its exact name.
    daemon.db() << "DELETE FROM groupmanagement_reserved_names";
    run_update_groups(daemon, user_id);
    names = role_names_of(discord, sample::nelly_id);
    CHECK_FALSE(has(names, "Alpha Bots"));
    CHECK(has(names, "ALPHA BOTS"));
  }
}

TEST_CASE("discord: a rejected role name notifies superusers once") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    // A retry would come after one second, well inside the waits below.
    Daemon daemon(backend, emulator, discord_yaml(discord, "    tasks_retry_pause: 1\n"));
    grant_discord_access(daemon, "Guest");
    Browser admin(daemon.base_url());
    auto admin_id = log_in(daemon, admin, kMiraPilot);
    make_superuser(daemon, admin_id);

    Browser member(daemon.base_url());
    auto user_id = log_in(daemon, member, kKarmaFleetPilot);
    auto scouts = public_open_group(daemon.db(), "Scouts");
    auto logistics = public_open_group(daemon.db(), "Logistics");
    // Added without a signal, so that only an explicit task run updates Discord.
    add_group_member(daemon.db(), scouts.id, user_id);
    link_and_wait_for_role(member, discord, sample::nelly_id, "Scouts");
    wait_for_empty_task_queue(daemon);

    // The group gets a name Discord rejects; the member joins another group.
    discord.control("POST", "faults", R"({"reject_role_name":"Scouts <Wing>"})");
    rename_group(daemon, scouts.id, "Scouts <Wing>");
    add_group_member(daemon.db(), logistics.id, user_id);
    discord.clear_requests();
    auto retried_before = task_runs(daemon, "discord.update_groups", "retried");
    auto failed_before = task_runs(daemon, "discord.update_groups", "failed");
    run_update_groups(daemon, user_id);

    CHECK(discord.request_count("create_guild_role") == 2);
    CHECK(task_runs(daemon, "discord.update_groups", "retried") == retried_before);
    CHECK(task_runs(daemon, "discord.update_groups", "failed") == failed_before);
    auto names = role_names_of(discord, sample::nelly_id);
    CHECK(has(names, "Logistics"));
    CHECK(has(names, "Guest"));
    CHECK_FALSE(has(names, "Scouts"));
    CHECK(role_id_named(discord, "Scouts <Wing>").empty());
    CHECK(notifications_of(daemon, admin_id, "Discord rejected a role name") == 1);
    CHECK(notifications_of(daemon, user_id, "Discord rejected a role name") == 0);
    std::string message;
    daemon.db() << "SELECT message FROM notifications WHERE user_id = :user AND title = 'Discord rejected a role name'",
        soci::use(admin_id), soci::into(message);
    CHECK(message.find("\"Scouts <Wing>\"") != std::string::npos);
    CHECK(message.find("the group") != std::string::npos);
    CHECK(message.find("Invalid Form Body; name: Role name is not allowed (injected fault).") != std::string::npos);
    CHECK(message.find("rename the group") != std::string::npos);
    CHECK(count_rows(daemon.db(), "discord_rejected_roles") == 1);

    // The next run sends no request for the name and notifies nobody again.
    discord.clear_requests();
    run_update_groups(daemon, user_id);
    CHECK(discord.request_count("create_guild_role") == 0);
    CHECK(discord.request_count("get_guild_member") == 1);
    CHECK(notifications_of(daemon, admin_id, "Discord rejected a role name") == 1);
    CHECK(task_runs(daemon, "discord.update_groups", "retried") == retried_before);
    CHECK(has(role_names_of(discord, sample::nelly_id), "Logistics"));

    // The bulk task reads the member list and sees nothing to do for her.
    discord.clear_requests();
    auto bulk = daemon.cli({"call", "discord.update_all_groups"});
    INFO(bulk.output);
    REQUIRE(bulk.status == 0);
    wait_for_empty_task_queue(daemon);
    CHECK(discord.request_count("list_guild_members") >= 1);
    CHECK(discord.request_count("get_guild_member") == 0);
    CHECK(discord.request_count("create_guild_role") == 0);
    CHECK(notifications_of(daemon, admin_id, "Discord rejected a role name") == 1);

    // A new name clears the record, and Discord accepts it.
    rename_group(daemon, scouts.id, "Scouts Wing");
    run_update_groups(daemon, user_id);
    CHECK(has(role_names_of(discord, sample::nelly_id), "Scouts Wing"));
    CHECK(count_rows(daemon.db(), "discord_rejected_roles") == 0);
    CHECK(notifications_of(daemon, admin_id, "Discord rejected a role name") == 1);
  }
}

TEST_CASE("discord: joining a group on the pages gives its role") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    grant_discord_access(daemon, "Guest");
    auto mining = public_open_group(daemon.db(), "Mining");
    Browser member(daemon.base_url());
    REQUIRE(sso_flow(member, kKarmaFleetPilot).status == 302);
    link_and_wait_for_role(member, discord, sample::nelly_id);
    wait_for_empty_task_queue(daemon);
    REQUIRE_FALSE(has(role_names_of(discord, sample::nelly_id), "Mining"));

    REQUIRE(member.get("/groups/").status == 200);
    auto joined = member.post("/group/request_add/" + std::to_string(mining.id), {});
    CHECK(joined.status == 302);
    CHECK(member.follow(joined).body.find("You joined Mining.") != std::string::npos);
    CHECK(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Mining"); }, 15s));
    CHECK(has(role_names_of(discord, sample::nelly_id), "Guest"));
    wait_for_empty_task_queue(daemon);

    REQUIRE(member.get("/groups/").status == 200);
    auto left = member.post("/group/request_leave/" + std::to_string(mining.id), {});
    CHECK(left.status == 302);
    CHECK(wait_until([&] { return !has(role_names_of(discord, sample::nelly_id), "Mining"); }, 15s));
    CHECK(has(role_names_of(discord, sample::nelly_id), "Guest"));
    // The role stays on the server for the next member.
    CHECK_FALSE(role_id_named(discord, "Mining").empty());
  }
}

TEST_CASE("discord: group joined mid-update gets its role") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    grant_discord_access(daemon, "Guest");
    auto alpha = public_open_group(daemon.db(), "Alpha");
    auto bravo = public_open_group(daemon.db(), "Bravo");
    auto charlie = public_open_group(daemon.db(), "Charlie");
    Browser member(daemon.base_url());
    REQUIRE(sso_flow(member, kKarmaFleetPilot).status == 302);
    link(member, sample::nelly_id);
    REQUIRE(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Guest"); }, 15s));
    wait_for_empty_task_queue(daemon);
    auto join = [&](const g::Group& group) {
      REQUIRE(member.get("/groups/").status == 200);
      REQUIRE(member.post("/group/request_add/" + std::to_string(group.id), {}).status == 302);
    };

    // One role change per 8 seconds, used up by Alpha's, so the update for
    // Bravo reads the groups and then waits for the next window.
    discord.control("POST", "limits", R"({"bucket": "modify_guild_member", "limit": 1, "window_ms": 8000})");
    discord.clear_requests();
    join(alpha);
    REQUIRE(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Alpha"); }, 15s));
    join(bravo);
    REQUIRE(wait_until([&] { return discord.request_count("create_guild_role") == 2; }, 15s));

    // Joined while that update waits: its enqueue must not be lost.
    join(charlie);
    CHECK(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Charlie"); }, 40s));
    CHECK(has(role_names_of(discord, sample::nelly_id), "Bravo"));
    CHECK(discord.rate_limited_count("modify_guild_member") == 0);
    wait_for_empty_task_queue(daemon);
  }
}

TEST_CASE("discord: a role deleted on Discord is created again") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    grant_discord_access(daemon, "Guest");
    auto mining = public_open_group(daemon.db(), "Mining");
    Browser member(daemon.base_url());
    REQUIRE(sso_flow(member, kKarmaFleetPilot).status == 302);
    link(member, sample::nelly_id);
    auto user_id = user_of(daemon.db(), kKarmaFleetPilot);
    add_group_member(daemon.db(), mining.id, user_id);
    run_update_groups(daemon, user_id);
    REQUIRE(has(role_names_of(discord, sample::nelly_id), "Mining"));
    // Creating a role clears the daemon's role cache; this run fills it again.
    run_update_groups(daemon, user_id);

    // An admin deletes the role on Discord, behind the daemon's cache.
    aa::discord::ClientOptions options;
    options.api_base_url = discord.api_url();
    options.bot_token = kDiscordBotToken;
    aa::discord::Client discord_admin(options, aa::discord::make_in_process_store());
    auto deleted_id = role_id_named(discord, "Mining");
    REQUIRE(discord_admin.delete_guild_role(sample::guild_id, std::stoll(deleted_id)));
    REQUIRE_FALSE(has(role_names_of(discord, sample::nelly_id), "Mining"));

    run_update_groups(daemon, user_id);
    CHECK(has(role_names_of(discord, sample::nelly_id), "Mining"));
    CHECK(role_id_named(discord, "Mining") != deleted_id);
    CHECK(has(role_names_of(discord, sample::nelly_id), "Guest"));
    CHECK(task_runs(daemon, "discord.update_groups", "retried") == 0);
    CHECK(task_runs(daemon, "discord.update_groups", "failed") == 0);
  }
}

TEST_CASE("discord: missing permissions name the roles") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord, "    tasks_max_retries: 0\n    roles_cache_max_age: 1\n"));
    grant_discord_access(daemon, "Guest");
    Browser member(daemon.base_url());
    REQUIRE(sso_flow(member, kKarmaFleetPilot).status == 302);
    link(member, sample::nelly_id);
    auto user_id = user_of(daemon.db(), kKarmaFleetPilot);
    REQUIRE(wait_until([&] { return has(role_names_of(discord, sample::nelly_id), "Guest"); }, 15s));
    wait_for_empty_task_queue(daemon);
    make_superuser(daemon, user_id);

    // The guild's "Moderators" role sits above the bot's role. While
    // Discord does not tell the bot's roles, the daemon cannot skip it, so
    // Discord rejects the whole role list.
    // The wait lets the bot's roles, cached by the link's role update,
    // expire, so the next update requests them from Discord again.
    discord.control("POST", "faults",
                    R"({"rate_limit":"user","route":"get_current_user","count":1000,"retry_after_ms":600000})");
    std::this_thread::sleep_for(1100ms);
    auto moderators = public_open_group(daemon.db(), "Moderators");
    add_group_member(daemon.db(), moderators.id, user_id);
    run_update_groups(daemon, user_id);
    CHECK_FALSE(has(role_names_of(discord, sample::nelly_id), "Moderators"));

    const std::string title = "Task discord.update_groups failed";
    std::string message;
    daemon.db() << "SELECT message FROM notifications WHERE user_id = :user AND title = :title", soci::use(user_id),
        soci::use(title), soci::into(message);
    INFO(message);
    CHECK(contains(message, "Missing Permissions (code 50013)"));
    CHECK(contains(message, "this update gives \xE2\x80\x9C" "Moderators" "\xE2\x80\x9D and takes none"));
    CHECK(contains(message, "Drag the bot's role above these roles"));
  }
}

TEST_CASE("discord: a role above the bot leaves the others") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord, "    tasks_retry_pause: 1\n"));
    LinkedPair linked(daemon, discord);
    auto admin_id = linked.admin_id;
    auto user_id = linked.user_id;
    wait_for_empty_task_queue(daemon);

    // The guild's "Moderators" role sits above the bot's role. Both members
    // join it and "Fleet", without a signal, so only the runs below update
    // Discord.
    auto moderators = public_open_group(daemon.db(), "Moderators");
    auto fleet = public_open_group(daemon.db(), "Fleet");
    for (auto id : {admin_id, user_id}) {
      add_group_member(daemon.db(), moderators.id, id);
      add_group_member(daemon.db(), fleet.id, id);
    }
    auto retried_before = task_runs(daemon, "discord.update_groups", "retried");
    auto failed_before = task_runs(daemon, "discord.update_groups", "failed");
    run_update_groups(daemon, user_id);
    run_update_groups(daemon, admin_id);

    for (auto discord_id : {sample::nelly_id, sample::mira_id}) {
      CAPTURE(discord_id);
      auto names = role_names_of(discord, discord_id);
      CHECK(has(names, "Fleet"));
      CHECK(has(names, "Guest"));
      CHECK_FALSE(has(names, "Moderators"));
    }
    CHECK(task_runs(daemon, "discord.update_groups", "retried") == retried_before);
    CHECK(task_runs(daemon, "discord.update_groups", "failed") == failed_before);
    const std::string title = "A Discord role sits above the bot's role";
    CHECK(notifications_of(daemon, admin_id, title) == 1);
    CHECK(notifications_of(daemon, user_id, title) == 0);
    std::string message;
    daemon.db() << "SELECT message FROM notifications WHERE user_id = :user AND title = :title", soci::use(admin_id),
        soci::use(title), soci::into(message);
    INFO(message);
    CHECK(contains(message, "The Discord role \"Moderators\" sits above the bot's highest role"));
    CHECK(contains(message, "Drag the bot's role above \"Moderators\""));
    CHECK(count_rows(daemon.db(), "discord_roles_above_bot") == 1);

    // The next runs send no role change and notify nobody again.
    discord.clear_requests();
    run_update_groups(daemon, user_id);
    CHECK(discord.request_count("modify_guild_member") == 0);
    auto bulk = daemon.cli({"call", "discord.update_all_groups"});
    INFO(bulk.output);
    REQUIRE(bulk.status == 0);
    wait_for_empty_task_queue(daemon);
    CHECK(discord.request_count("list_guild_members") >= 1);
    CHECK(discord.request_count("get_guild_member") == 1);
    CHECK(discord.request_count("modify_guild_member") == 0);
    CHECK(notifications_of(daemon, admin_id, title) == 1);

    // Someone gave Nelly "Moderators" on Discord, which Auth would take
    // from her: she keeps it, and nobody is notified again.
    discord.control("POST", "members",
                    R"({"user_id":")" + std::to_string(sample::nelly_id) + R"(","roles":[")" +
                        std::to_string(sample::moderators_role_id) + R"(",")" + role_id_named(discord, "Fleet") +
                        R"(",")" + role_id_named(discord, "Guest") + R"("]})");
    std::vector<aa::SignalEvent> events;
    REQUIRE(g::remove_member(daemon.db(), moderators.id, user_id, events));
    bump_auth(daemon);
    discord.clear_requests();
    run_update_groups(daemon, user_id);
    auto names = role_names_of(discord, sample::nelly_id);
    CHECK(has(names, "Moderators"));
    CHECK(has(names, "Fleet"));
    CHECK(discord.request_count("modify_guild_member") == 0);
    CHECK(notifications_of(daemon, admin_id, title) == 1);
  }
}

TEST_CASE("discord: a role taken from the bot is read again") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();

    // The bot also has "Leadership", above "Moderators", so it may give
    // Moderators. The daemon caches the bot's roles at the first link.
    discord.control("POST", "roles", R"({"name":"Leadership","position":5})");
    auto leadership = role_id_named(discord, "Leadership");
    set_bot_roles(discord, {std::to_string(sample::bot_role_id), leadership});

    Daemon daemon(backend, emulator, discord_yaml(discord, "    tasks_retry_pause: 1\n"));
    LinkedPair linked(daemon, discord);
    auto admin_id = linked.admin_id;
    auto user_id = linked.user_id;
    auto moderators = public_open_group(daemon.db(), "Moderators");
    add_group_member(daemon.db(), moderators.id, user_id);
    run_update_groups(daemon, user_id);
    REQUIRE(has(role_names_of(discord, sample::nelly_id), "Moderators"));

    // Someone takes Leadership from the bot. The cached roles still place
    // the bot above Moderators, so taking Moderators from Nelly meets
    // Missing Permissions, and the update reads the roles again.
    set_bot_roles(discord, {std::to_string(sample::bot_role_id)});
    std::vector<aa::SignalEvent> events;
    REQUIRE(g::remove_member(daemon.db(), moderators.id, user_id, events));
    bump_auth(daemon);
    auto retried_before = task_runs(daemon, "discord.update_groups", "retried");
    auto failed_before = task_runs(daemon, "discord.update_groups", "failed");
    run_update_groups(daemon, user_id);

    CHECK(has(role_names_of(discord, sample::nelly_id), "Moderators"));
    CHECK(task_runs(daemon, "discord.update_groups", "retried") == retried_before);
    CHECK(task_runs(daemon, "discord.update_groups", "failed") == failed_before);
    CHECK(notifications_of(daemon, admin_id, "A Discord role sits above the bot's role") == 1);
  }
}

TEST_CASE("discord: deleting a group forgets its rejected role") {
  Emulator emulator;
  DiscordEmulatorProcess discord;
  for (const auto& backend : backends()) {
    CAPTURE(backend);
    discord.reset();
    Daemon daemon(backend, emulator, discord_yaml(discord));
    Browser admin(daemon.base_url());
    auto admin_id = log_in(daemon, admin, kMiraPilot);
    make_superuser(daemon, admin_id);

    // Scouts and Logistics each have a rejected name. So has the state with
    // Scouts' id, which keeps its row because it is not the group.
    auto scouts = public_open_group(daemon.db(), "Scouts <Wing>");
    auto logistics = public_open_group(daemon.db(), "Logistics <Wing>");
    for (auto [from_state, source_id] : {std::pair{0, scouts.id}, std::pair{0, logistics.id}, std::pair{1, scouts.id}}) {
      daemon.db() << "INSERT INTO discord_rejected_roles (from_state, source_id, role_name, rejected_at) "
                     "VALUES (:from_state, :source_id, 'Scouts <Wing>', 1700000000)",
          soci::use(from_state), soci::use(source_id);
    }

    admin.get("/admin/auth/group/");
    auto deleted = admin.post("/admin/auth/group/" + std::to_string(scouts.id) + "/delete/", {{"post", "yes"}});
    REQUIRE(deleted.status == 302);

    long long scouts_rows = -1;
    daemon.db() << "SELECT COUNT(*) FROM discord_rejected_roles WHERE from_state = 0 AND source_id = :id",
        soci::use(scouts.id), soci::into(scouts_rows);
    CHECK(scouts_rows == 0);
    long long logistics_rows = -1;
    daemon.db() << "SELECT COUNT(*) FROM discord_rejected_roles WHERE from_state = 0 AND source_id = :id",
        soci::use(logistics.id), soci::into(logistics_rows);
    CHECK(logistics_rows == 1);
    long long state_rows = -1;
    daemon.db() << "SELECT COUNT(*) FROM discord_rejected_roles WHERE from_state = 1 AND source_id = :id",
        soci::use(scouts.id), soci::into(state_rows);
    CHECK(state_rows == 1);
  }
}
