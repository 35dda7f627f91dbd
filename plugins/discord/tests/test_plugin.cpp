// Loads the built discord.so through the host's loader, as the daemon does,
// and drives its ServiceHook against the Discord emulator.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <soci/soci.h>

#include <algorithm>
#include <stdexcept>

#include "aa/text.hpp"
#include "app/app.hpp"
#include "db/core_migrations.hpp"
#include "db/migrator.hpp"
#include "discord_emulator_process.hpp"
#include "discord_users.hpp"
#include "test_support.hpp"

namespace {

namespace sample = aa::test::discord_sample;

std::string discord_yaml(const aa::test::DiscordEmulatorProcess& discord, const std::string& extra = "") {
  return "plugins:\n"
         "  discord:\n"
         "    app_id: aa-discord-client\n"
         "    app_secret: aa-discord-secret\n"
         "    bot_token: aa-discord-bot-token\n"
         "    callback_url: http://127.0.0.1:9/discord/callback/\n"
         "    guild_id: " + std::to_string(sample::guild_id) + "\n"
         "    api_base_url: " + discord.api_url() + "\n" + extra;
}

struct LoadedPlugin {
  aa::test::TempDir dir;
  std::unique_ptr<aa::core::App> app;
  std::shared_ptr<aa::ServiceHook> service;
};

// A migrated SQLite instance with discord.so loaded and its tables created.
std::unique_ptr<LoadedPlugin> load_discord(const aa::test::DiscordEmulatorProcess& discord,
                                          const std::string& extra_yaml = "") {
  auto loaded = std::make_unique<LoadedPlugin>();
  auto config = aa::core::Config::from_string(
      aa::test::instance_yaml(loaded->dir.path(), "sqlite3", discord_yaml(discord, extra_yaml)), loaded->dir.path());
  loaded->app = std::make_unique<aa::core::App>(config, std::vector<std::filesystem::path>{DISCORD_PLUGIN_DIR});
  loaded->app->load_plugins();
  loaded->app->open_database();

  aa::core::Migrator migrator(loaded->app->db());
  migrator.ensure_table();
  migrator.migrate(aa::core::core_migrations(), std::nullopt);
  for (const auto& set : aa::core::core_part_migrations()) migrator.migrate(set, std::nullopt);
  for (const auto& set : loaded->app->hooks().migrations) {
    if (set.plugin == "discord") migrator.migrate(set, std::nullopt);
  }
  for (const auto& owned : loaded->app->hooks().services) {
    if (owned.plugin == "discord") loaded->service = owned.hook;
  }
  loaded->app->open_task_queue();
  return loaded;
}

// The queued calls of `task_name`, oldest first, as their JSON arguments.
std::vector<std::string> queued(aa::core::App& app, const std::string& task_name) {
  soci::session sql(app.db().pool());
  std::vector<std::string> args;
  soci::rowset<std::string> rows =
      (sql.prepare << "SELECT args FROM task_queue WHERE task_name = :name ORDER BY id", soci::use(task_name));
  for (const auto& row : rows) args.push_back(row);
  return args;
}

// Runs the plugin's task `name` on this thread, as a worker would.
void run_task(aa::core::App& app, const std::string& name, const boost::json::value& args) {
  for (const auto& owned : app.hooks().tasks) {
    if (owned.hook.name != name) continue;
    aa::TaskRun run{.task_id = "test", .args = args, .attempt = 1, .context = app};
    owned.hook.run(run);
    return;
  }
  FAIL("no task named " << name);
}

// A user in the Guest state, linked to the Discord user Nelly.
aa::User linked_user(aa::core::App& app) {
  soci::session sql(app.db().pool());
  sql << "INSERT INTO users (username, date_joined) VALUES ('pilot', 0)";
  long long id = 0;
  sql.get_last_insert_id("users", id);
  sql << "INSERT INTO user_profiles (user_id, state_id) SELECT :id, id FROM states WHERE name = 'Guest'", soci::use(id);
  long long uid = sample::nelly_id;
  sql << "INSERT INTO discord_users (user_id, uid, username, discriminator) VALUES (:id, :uid, 'Nelly', '1337')",
      soci::use(id), soci::use(uid);
  aa::User user;
  user.id = id;
  return user;
}

// A Guest user linked to the Discord user `uid`; returns the user id.
long long link_user(aa::core::App& app, long long uid) {
  soci::session sql(app.db().pool());
  auto username = "pilot" + std::to_string(uid);
  sql << "INSERT INTO users (username, date_joined) VALUES (:name, 0)", soci::use(username);
  long long id = 0;
  sql.get_last_insert_id("users", id);
  sql << "INSERT INTO user_profiles (user_id, state_id) SELECT :id, id FROM states WHERE name = 'Guest'", soci::use(id);
  sql << "INSERT INTO discord_users (user_id, uid, username, discriminator) VALUES (:id, :uid, :name, '0')",
      soci::use(id), soci::use(uid), soci::use(username);
  return id;
}

// The user ids of the queued calls of `task`, then empties the queue.
std::vector<long long> take_queued(aa::core::App& app, const std::string& task) {
  std::vector<long long> ids;
  for (const auto& args : queued(app, task)) {
    ids.push_back(boost::json::parse(args).as_object().at("user_id").as_int64());
  }
  soci::session sql(app.db().pool());
  sql << "DELETE FROM task_queue";
  return ids;
}

long long count_notifications(aa::core::App& app, long long user_id) {
  soci::session sql(app.db().pool());
  long long count = 0;
  sql << "SELECT COUNT(*) FROM notifications WHERE user_id = :id", soci::use(user_id), soci::into(count);
  return count;
}

std::vector<std::string> role_names_of(aa::test::DiscordEmulatorProcess& discord, long long user_id) {
  auto state = discord.control("GET", "state").as_object();
  auto member = discord.member(user_id);
  std::vector<std::string> names;
  for (const auto& id : member.as_object().at("roles").as_array()) {
    for (const auto& role : state.at("roles").as_array()) {
      if (role.as_object().at("id") == id) names.emplace_back(role.as_object().at("name").as_string());
    }
  }
  return names;
}

}  // namespace

TEST_CASE("discord service hook syncs roles and deletes the member") {
  auto& discord = aa::test::shared_discord_emulator();
  discord.control("POST", "members",
                  R"({"user_id":")" + std::to_string(sample::nelly_id) + R"(","roles":[")" +
                      std::to_string(sample::managed_role_id) + R"(",")" + std::to_string(sample::plain_role_id) +
                      R"("]})");
  auto loaded = load_discord(discord);
  REQUIRE(loaded->service != nullptr);
  CHECK(loaded->service->name() == "discord");
  CHECK(loaded->service->supports_groups());

  auto user = linked_user(*loaded->app);
  CHECK(loaded->service->service_active_for_user(user));

  // The host's task calls update_groups, which queues the Discord task.
  loaded->service->update_groups(user);
  auto args = queued(*loaded->app, "discord.update_groups");
  REQUIRE(args.size() == 1);
  CHECK(boost::json::parse(args[0]) == boost::json::value(boost::json::object{{"user_id", user.id}}));
  CHECK(role_names_of(discord, sample::nelly_id).size() == 2);

  run_task(*loaded->app, "discord.update_groups", boost::json::parse(args[0]));
  auto names = role_names_of(discord, sample::nelly_id);
  CHECK(std::find(names.begin(), names.end(), "Guest") != names.end());
  CHECK(std::find(names.begin(), names.end(), "My Managed Role") != names.end());
  CHECK(std::find(names.begin(), names.end(), "WE DEM BOYZZ!!!!!!") == names.end());

  CHECK(loaded->service->delete_user(user, false));
  CHECK(discord.member(sample::nelly_id).is_null());
  CHECK_FALSE(loaded->service->service_active_for_user(user));
}

TEST_CASE("discord service hook keeps the link when Discord refuses the kick") {
  auto& discord = aa::test::shared_discord_emulator();
  // Nelly has a role above the bot's, so the bot may not kick her.
  discord.control("POST", "members",
                  R"({"user_id":")" + std::to_string(sample::nelly_id) + R"(","roles":[")" +
                      std::to_string(sample::moderators_role_id) + R"("]})");
  auto loaded = load_discord(discord);
  auto user = linked_user(*loaded->app);

  // The throw makes the host's access check retry.
  CHECK_THROWS_AS(loaded->service->delete_user(user, false), std::runtime_error);
  CHECK(loaded->service->service_active_for_user(user));
  CHECK(discord.member(sample::nelly_id).is_object());
}

TEST_CASE("discord update_all_groups reads no member whose roles already match") {
  auto& discord = aa::test::shared_discord_emulator();
  constexpr long long first_uid = 1200000000000000001;
  discord.control("POST", "members/generate", R"({"first_id":")" + std::to_string(first_uid) + R"(","count":3})");
  auto loaded = load_discord(discord);
  auto& app = *loaded->app;
  std::vector<long long> users;
  for (long long i = 0; i < 3; ++i) users.push_back(link_user(app, first_uid + i));
  // Linked, but no longer on the server.
  auto departed = link_user(app, first_uid + 9);

  // Nobody has the Guest role yet, and the departed user is not on the list.
  run_task(app, "discord.update_all_groups", boost::json::object{});
  auto first = take_queued(app, "discord.update_groups");
  CHECK(first == std::vector<long long>{users[0], users[1], users[2], departed});
  CHECK(discord.request_count("list_guild_members") == 1);
  // The one member read is the bot's own, for its highest role.
  CHECK(discord.request_count("get_current_user") == 1);
  CHECK(discord.request_count("get_guild_member") == 1);
  for (auto user_id : first) run_task(app, "discord.update_groups", boost::json::object{{"user_id", user_id}});
  for (long long i = 0; i < 3; ++i) CHECK(role_names_of(discord, first_uid + i) == std::vector<std::string>{"Guest"});

  // Every role matches now: one list call and no call per member.
  discord.clear_requests();
  run_task(app, "discord.update_all_groups", boost::json::object{});
  CHECK(take_queued(app, "discord.update_groups").empty());
  CHECK(discord.request_count("list_guild_members") == 1);
  CHECK(discord.request_count("get_guild_member") == 0);
  CHECK(discord.request_count("modify_guild_member") == 0);

  // A role taken away by hand on Discord brings back that user only.
  discord.control("POST", "members", R"({"user_id":")" + std::to_string(first_uid + 1) + R"(","roles":[]})");
  run_task(app, "discord.update_all_groups", boost::json::object{});
  CHECK(take_queued(app, "discord.update_groups") == std::vector<long long>{users[1]});

  // Without the members intent Discord refuses the list; every user is read on their own.
  discord.control("POST", "intents", R"({"guild_members":false})");
  run_task(app, "discord.update_all_groups", boost::json::object{});
  CHECK(take_queued(app, "discord.update_groups") == users);
}

TEST_CASE("discord service hook throws while Discord is down") {
  auto& discord = aa::test::shared_discord_emulator();
  discord.control("POST", "members", R"({"user_id":")" + std::to_string(sample::nelly_id) + R"("})");
  auto loaded = load_discord(discord);
  auto user = linked_user(*loaded->app);

  discord.control("POST", "faults", R"({"api":"down"})");
  CHECK_THROWS_AS(loaded->service->delete_user(user, true), std::runtime_error);
  CHECK(loaded->service->service_active_for_user(user));
  CHECK(count_notifications(*loaded->app, user.id) == 0);

  // Once Discord is back, the retry removes the member and notifies once.
  discord.control("DELETE", "faults");
  CHECK(loaded->service->delete_user(user, true));
  CHECK(discord.member(sample::nelly_id).is_null());
  CHECK_FALSE(loaded->service->service_active_for_user(user));
  CHECK(count_notifications(*loaded->app, user.id) == 1);
}

TEST_CASE("discord link insert rejects a second link") {
  auto& discord = aa::test::shared_discord_emulator();
  auto loaded = load_discord(discord);
  auto user = linked_user(*loaded->app);
  soci::session sql(loaded->app->db().pool());

  // Another account for the same user, as a second callback would store it.
  discord_service::DiscordUser other{.user_id = user.id, .uid = sample::kaelen_id, .username = "kaelen"};
  CHECK_FALSE(discord_service::insert_discord_user(sql, other));

  // The same account for another user.
  sql << "INSERT INTO users (username, date_joined) VALUES ('second', 0)";
  long long second_id = 0;
  sql.get_last_insert_id("users", second_id);
  discord_service::DiscordUser taken{.user_id = second_id, .uid = sample::nelly_id, .username = "Nelly"};
  CHECK_FALSE(discord_service::insert_discord_user(sql, taken));

  auto kept = discord_service::find_discord_user(sql, user.id);
  REQUIRE(kept);
  CHECK(kept->uid == sample::nelly_id);
  CHECK(kept->username == "Nelly");
  CHECK_FALSE(discord_service::find_discord_user(sql, second_id));

  discord_service::DiscordUser fresh{.user_id = second_id, .uid = sample::kaelen_id, .username = "kaelen"};
  CHECK(discord_service::insert_discord_user(sql, fresh));
  CHECK(discord_service::find_discord_user(sql, second_id)->uid == sample::kaelen_id);
}

TEST_CASE("discord link save does not restore a deleted link") {
  auto& discord = aa::test::shared_discord_emulator();
  auto loaded = load_discord(discord);
  auto user = linked_user(*loaded->app);
  soci::session sql(loaded->app->db().pool());
  auto linked = discord_service::find_discord_user(sql, user.id);
  REQUIRE(linked);

  // discord.update_username read the link, then an access check removed it.
  REQUIRE(discord_service::delete_discord_user(sql, user.id));
  linked->username = "renamed";
  discord_service::save_discord_user(sql, *linked);
  CHECK_FALSE(discord_service::find_discord_user(sql, user.id));
}

TEST_CASE("discord link save updates the username") {
  auto& discord = aa::test::shared_discord_emulator();
  auto loaded = load_discord(discord);
  auto user = linked_user(*loaded->app);
  soci::session sql(loaded->app->db().pool());
  auto linked = discord_service::find_discord_user(sql, user.id);
  REQUIRE(linked);

  linked->username = "nelly.renamed";
  linked->discriminator = "0";
  discord_service::save_discord_user(sql, *linked);
  auto saved = discord_service::find_discord_user(sql, user.id);
  REQUIRE(saved);
  CHECK(saved->username == "nelly.renamed");
  CHECK(saved->discriminator == "0");
  CHECK(saved->uid == sample::nelly_id);
}

TEST_CASE("discord bulk name tasks read no member whose names match") {
  auto& discord = aa::test::shared_discord_emulator();
  constexpr long long first_uid = 1200000000000000001;
  discord.control("POST", "members/generate", R"({"first_id":")" + std::to_string(first_uid) + R"(","count":2})");
  auto loaded = load_discord(discord, "    sync_names: true\n");
  auto& app = *loaded->app;
  std::vector<long long> users;
  for (long long i = 0; i < 2; ++i) {
    auto user_id = link_user(app, first_uid + i);
    users.push_back(user_id);
    // A main character, whose name becomes the nickname.
    soci::session sql(app.db().pool());
    long long character_id = 2112000001 + i;
    auto name = "Pilot " + std::to_string(i);
    sql << "INSERT INTO eve_characters (character_id, character_name, corporation_id) VALUES (:id, :name, 98370861)",
        soci::use(character_id), soci::use(name);
    sql << "UPDATE user_profiles SET main_character_id = :character WHERE user_id = :user", soci::use(character_id),
        soci::use(user_id);
  }

  // The stored usernames (pilot...) differ from Discord's (member...).
  run_task(app, "discord.update_all_usernames", boost::json::object{});
  auto usernames = take_queued(app, "discord.update_username");
  CHECK(usernames == users);
  for (auto user_id : usernames) run_task(app, "discord.update_username", boost::json::object{{"user_id", user_id}});
  discord.clear_requests();
  run_task(app, "discord.update_all_usernames", boost::json::object{});
  CHECK(take_queued(app, "discord.update_username").empty());
  CHECK(discord.request_count("list_guild_members") == 1);
  CHECK(discord.request_count("get_guild_member") == 0);

  // Nobody has a nickname yet.
  run_task(app, "discord.update_all_nicknames", boost::json::object{});
  auto nicknames = take_queued(app, "discord.update_nickname");
  CHECK(nicknames == users);
  for (auto user_id : nicknames) run_task(app, "discord.update_nickname", boost::json::object{{"user_id", user_id}});
  CHECK(discord.member(first_uid).as_object().at("nick") == "Pilot 0");
  discord.clear_requests();
  run_task(app, "discord.update_all_nicknames", boost::json::object{});
  CHECK(take_queued(app, "discord.update_nickname").empty());
  CHECK(discord.request_count("list_guild_members") == 1);
  CHECK(discord.request_count("modify_guild_member") == 0);
}

TEST_CASE("discord stored username cuts characters") {
  using discord_service::stored_username;

  CHECK(stored_username("pilot") == "pilot");
  CHECK(stored_username(std::string(40, 'a')) == std::string(32, 'a'));

  // 33 two-byte letters: a byte cut at 32 would split the 16th letter.
  std::string umlauts;
  for (int i = 0; i < 33; ++i) umlauts += "\xC3\xA4";
  auto stored = stored_username(umlauts);
  CHECK(stored.size() == 64);
  CHECK(aa::text::utf8_length(stored) == std::optional<std::size_t>(32));
}

TEST_CASE("discord bulk sync removes deleted users") {
  auto& discord = aa::test::shared_discord_emulator();
  constexpr long long first_uid = 1200000000000000101;
  discord.control("POST", "members/generate", R"({"first_id":")" + std::to_string(first_uid) + R"(","count":2})");
  auto loaded = load_discord(discord);
  auto& app = *loaded->app;
  auto kept = link_user(app, first_uid);
  auto deleted = link_user(app, first_uid + 1);
  run_task(app, "discord.update_all_groups", boost::json::object{});
  for (auto user_id : take_queued(app, "discord.update_groups")) {
    run_task(app, "discord.update_groups", boost::json::object{{"user_id", user_id}});
  }

  // The user is deleted while their removal from Discord fails for good,
  // so only the link is left behind.
  {
    soci::session sql(app.db().pool());
    sql << "DELETE FROM user_profiles WHERE user_id = :id", soci::use(deleted);
    sql << "DELETE FROM users WHERE id = :id", soci::use(deleted);
  }

  run_task(app, "discord.update_all_groups", boost::json::object{});
  CHECK(take_queued(app, "discord.update_groups") == std::vector<long long>{deleted});
  run_task(app, "discord.update_groups", boost::json::object{{"user_id", deleted}});
  CHECK(discord.member(first_uid + 1).is_null());
  CHECK_FALSE(discord.member(first_uid).is_null());

  soci::session sql(app.db().pool());
  long long links = 0;
  sql << "SELECT COUNT(*) FROM discord_users WHERE user_id = :id", soci::use(deleted), soci::into(links);
  CHECK(links == 0);
  sql << "SELECT COUNT(*) FROM discord_users WHERE user_id = :id", soci::use(kept), soci::into(links);
  CHECK(links == 1);
}
