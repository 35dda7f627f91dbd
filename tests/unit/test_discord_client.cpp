// The SDK's Discord client against the Discord emulator over HTTP.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <thread>

#include "aa/discord.hpp"
#include "aa/http_client.hpp"
#include "child_process.hpp"
#include "discord_emulator_process.hpp"
#include "test_support.hpp"

namespace {

namespace sample = aa::test::discord_sample;
using aa::discord::ErrorKind;
using std::chrono::milliseconds;

aa::discord::ClientOptions client_options(const aa::test::DiscordEmulatorProcess& emulator) {
  aa::discord::ClientOptions options;
  options.api_base_url = emulator.api_url();
  options.bot_token = aa::test::kDiscordBotToken;
  options.server_error_pause = milliseconds(50);
  options.request_timeout = milliseconds(5000);
  return options;
}

std::set<long long> role_ids_of(const boost::json::value& member) {
  std::set<long long> ids;
  for (const auto& id : member.as_object().at("roles").as_array()) ids.insert(std::stoll(std::string(id.as_string())));
  return ids;
}

std::string nick_of(const boost::json::value& member) {
  const auto& nick = member.as_object().at("nick");
  return nick.is_string() ? std::string(nick.as_string()) : "";
}

void make_member(aa::test::DiscordEmulatorProcess& emulator, long long user_id) {
  emulator.control("POST", "members", R"({"user_id":")" + std::to_string(user_id) + R"(","roles":[]})");
}

}  // namespace

TEST_CASE("discord nick sanitizing cuts 40 characters to 32") {
  CHECK(aa::discord::sanitize_nick(std::string(40, 'n')) == std::string(32, 'n'));
  CHECK(aa::discord::sanitize_nick("  Kaelen Brightwater  ") == "Kaelen Brightwater");
  // 33 two-byte characters: the cut keeps 32 whole ones.
  std::string umlauts;
  for (int i = 0; i < 33; ++i) umlauts += "\xc3\xa4";
  CHECK(aa::discord::sanitize_nick(umlauts) == umlauts.substr(0, 64));
  CHECK(aa::discord::sanitize_role_name(std::string(120, 'r')).size() == 100);
}

TEST_CASE("discord nick of invisible characters is empty") {
  using aa::discord::sanitize_nick;
  const std::string zero_width_space = "\xE2\x80\x8B";
  const std::string zero_width_joiner = "\xE2\x80\x8D";
  const std::string no_break_space = "\xC2\xA0";
  const std::string hangul_filler = "\xE3\x85\xA4";
  const std::string ideographic_space = "\xE3\x80\x80";

  CHECK(sanitize_nick(zero_width_space).empty());
  CHECK(sanitize_nick(" " + no_break_space + zero_width_joiner + "\t").empty());
  CHECK(sanitize_nick(hangul_filler + ideographic_space).empty());
  CHECK(sanitize_nick("\x01\x7F").empty());
  CHECK(sanitize_nick("\xFF\xFE").empty());

  // Invisible characters go at both ends; inside, white space runs become
  // one space and a joiner between visible characters stays.
  CHECK(sanitize_nick(zero_width_space + "Kaelen" + no_break_space + " Brightwater" + hangul_filler) ==
        "Kaelen Brightwater");
  const std::string family = "\xF0\x9F\x91\xA8" + zero_width_joiner + "\xF0\x9F\x91\xA9";
  CHECK(sanitize_nick(family) == family);

  // The cut at 32 characters leaves no white space at the end.
  CHECK(sanitize_nick(std::string(31, 'n') + "  " + zero_width_space + "tail") == std::string(31, 'n'));
}

TEST_CASE("discord client adds a member with a nick cut to 32") {
  auto& emulator = aa::test::shared_discord_emulator();
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());

  auto nick = std::string("Kaelen Brightwater [KARMA] ") + std::string(13, 'x');
  REQUIRE(nick.size() == 40);
  auto added = client.add_guild_member(sample::guild_id, sample::kaelen_id, emulator.user_token(sample::kaelen_id),
                                       {sample::plain_role_id}, nick);
  INFO((added.ok() ? std::string() : added.error().describe()));
  REQUIRE(added.ok());
  CHECK(added.value() == aa::discord::AddMemberOutcome::added);

  auto member = emulator.member(sample::kaelen_id);
  CHECK(nick_of(member) == nick.substr(0, 32));
  CHECK(role_ids_of(member).count(sample::plain_role_id) == 1);

  auto again = client.add_guild_member(sample::guild_id, sample::kaelen_id, emulator.user_token(sample::kaelen_id), {},
                                       std::nullopt);
  REQUIRE(again.ok());
  CHECK(again.value() == aa::discord::AddMemberOutcome::already_member);
}

TEST_CASE("discord client reports typed errors") {
  auto& emulator = aa::test::shared_discord_emulator();
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());
  make_member(emulator, sample::nelly_id);

  auto missing = client.guild_member(sample::guild_id, sample::tovin_id);
  CHECK(missing.is(ErrorKind::not_found));
  CHECK(missing.error().code == 10007);

  auto above_bot = client.add_guild_member_role(sample::guild_id, sample::nelly_id, sample::moderators_role_id);
  CHECK(above_bot.is(ErrorKind::missing_permissions));
  CHECK(above_bot.error().code == 50013);
  CHECK(above_bot.error().describe().find("Missing Permissions") != std::string::npos);

  auto managed = client.add_guild_member_role(sample::guild_id, sample::nelly_id, sample::managed_role_id);
  CHECK(managed.is(ErrorKind::bad_request));

  auto options = client_options(emulator);
  options.bot_token = "wrong";
  aa::discord::Client wrong_token(options, aa::discord::make_in_process_store());
  CHECK(wrong_token.guild_roles(sample::guild_id).is(ErrorKind::unauthorized));
}

TEST_CASE("discord client reports transport errors after retries") {
  auto& emulator = aa::test::shared_discord_emulator();
  auto options = client_options(emulator);
  options.api_base_url = "http://127.0.0.1:" + std::to_string(aa::test::free_port()) + "/api/v10";
  aa::discord::Client client(options, aa::discord::make_in_process_store());
  auto result = client.guild(sample::guild_id);
  CHECK(result.is(ErrorKind::transport));

  aa::discord::Client working(client_options(emulator), aa::discord::make_in_process_store());
  emulator.control("POST", "faults", R"({"api":"down"})");
  CHECK(working.guild(sample::guild_id).is(ErrorKind::transport));
  CHECK(emulator.request_count("get_guild") == 3);
}

TEST_CASE("discord client retries a 5xx") {
  auto& emulator = aa::test::shared_discord_emulator();
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());
  emulator.control("POST", "faults", R"({"api":"5xx","status":502,"count":1})");
  auto guild = client.guild(sample::guild_id);
  REQUIRE(guild.ok());
  CHECK(guild.value().name == "Discord Testers");
  CHECK(emulator.request_count("get_guild") == 2);
}

TEST_CASE("discord client caches guild name and roles") {
  auto& emulator = aa::test::shared_discord_emulator();
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());

  CHECK(client.guild_name(sample::guild_id).value() == "Discord Testers");
  CHECK(client.guild_name(sample::guild_id).value() == "Discord Testers");
  CHECK(emulator.request_count("get_guild") == 1);
  CHECK(client.guild_name(sample::guild_id, false).ok());
  CHECK(emulator.request_count("get_guild") == 2);

  auto roles = client.guild_roles(sample::guild_id);
  REQUIRE(roles.ok());
  CHECK(roles.value().size() == 5);
  CHECK(client.guild_roles(sample::guild_id).value().size() == 5);
  CHECK(emulator.request_count("get_guild_roles") == 1);

  // Creating a role makes the cached list stale.
  REQUIRE(client.create_guild_role(sample::guild_id, "Fleet Commanders").ok());
  CHECK(client.guild_roles(sample::guild_id).value().size() == 6);
  CHECK(emulator.request_count("get_guild_roles") == 2);
}

TEST_CASE("discord client reads the bot's roles") {
  auto& emulator = aa::test::shared_discord_emulator();
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());

  auto bot = client.current_bot_user();
  REQUIRE(bot.ok());
  CHECK(bot.value().id == sample::bot_id);

  auto users_before = emulator.request_count("get_current_user");
  auto members_before = emulator.request_count("get_guild_member");
  auto ids = client.bot_role_ids(sample::guild_id);
  INFO((ids.ok() ? std::string() : ids.error().describe()));
  REQUIRE(ids.ok());
  CHECK(ids.value() == std::vector<aa::discord::Snowflake>{sample::bot_role_id});
  CHECK(emulator.request_count("get_current_user") == users_before + 1);
  CHECK(emulator.request_count("get_guild_member") == members_before + 1);

  // The second call comes from the cache; use_cache = false reads again.
  CHECK(client.bot_role_ids(sample::guild_id).value() == ids.value());
  CHECK(emulator.request_count("get_guild_member") == members_before + 1);
  CHECK(client.bot_role_ids(sample::guild_id, false).ok());
  CHECK(emulator.request_count("get_guild_member") == members_before + 2);
}

TEST_CASE("discord client matches or creates roles by name") {
  auto& emulator = aa::test::shared_discord_emulator();
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());

  auto existing = client.match_or_create_role(sample::guild_id, "WE DEM BOYZZ!!!!!!", true);
  REQUIRE(existing.ok());
  CHECK(existing.value().first.id == sample::plain_role_id);
  CHECK_FALSE(existing.value().second);

  auto disabled = client.match_or_create_role(sample::guild_id, "Capitals", false);
  CHECK(disabled.is(ErrorKind::not_found));
  CHECK(emulator.request_count("create_guild_role") == 0);

  auto created = client.match_or_create_role(sample::guild_id, "Capitals", true);
  REQUIRE(created.ok());
  CHECK(created.value().second);
  auto again = client.match_or_create_role(sample::guild_id, "Capitals", true);
  REQUIRE(again.ok());
  CHECK_FALSE(again.value().second);
  CHECK(again.value().first.id == created.value().first.id);
  CHECK(emulator.request_count("create_guild_role") == 1);
}

TEST_CASE("discord client pages through the guild's members") {
  auto& emulator = aa::test::shared_discord_emulator();
  emulator.control("POST", "members/generate", R"({"first_id":"1200000000000000001","count":5})");
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());

  // The owner, the bot and five generated members, three to a page.
  std::vector<long long> ids;
  aa::discord::Snowflake after = 0;
  for (;;) {
    auto page = client.guild_members(sample::guild_id, 3, after);
    REQUIRE(page.ok());
    for (const auto& member : page.value()) {
      REQUIRE(member.user);
      ids.push_back(member.user->id);
    }
    if (page.value().size() < 3) break;
    after = ids.back();
  }
  CHECK(ids == std::vector<long long>{sample::owner_id, sample::bot_id, 1200000000000000001, 1200000000000000002,
                                      1200000000000000003, 1200000000000000004, 1200000000000000005});
  CHECK(emulator.request_count("list_guild_members") == 3);

  emulator.control("POST", "intents", R"({"guild_members":false})");
  CHECK(client.guild_members(sample::guild_id).is(ErrorKind::forbidden));
}

TEST_CASE("discord client waits while another creates the role") {
  auto& emulator = aa::test::shared_discord_emulator();
  auto store = aa::discord::make_in_process_store();
  aa::discord::Client client(client_options(emulator), store);
  // Another worker of the same store holds the lock on creating "Fleet".
  auto lock_key = "role_create:" + std::to_string(sample::guild_id) + ":Fleet";
  auto now_ms = std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  REQUIRE(store->cache_add(lock_key, "1", std::chrono::seconds(30), now_ms));

  std::optional<aa::discord::Result<std::pair<aa::discord::Role, bool>>> matched;
  std::thread asking([&] { matched = client.match_or_create_role(sample::guild_id, "Fleet", true); });
  // Once the client looks at the role list a third time (cached, fresh,
  // then waiting for the lock), the other worker's role appears on Discord.
  CHECK(aa::test::wait_until([&] {
    return emulator.request_count("get_guild_roles") >= 3 || emulator.request_count("create_guild_role") > 0;
  }, std::chrono::seconds(8)));
  auto inserted = emulator.control("POST", "roles", R"({"name":"Fleet","position":1})");
  asking.join();

  REQUIRE(matched);
  REQUIRE(matched->ok());
  CHECK(std::to_string(matched->value().first.id) == std::string(inserted.at("id").as_string()));
  CHECK_FALSE(matched->value().second);
  CHECK(emulator.request_count("create_guild_role") == 0);
}

TEST_CASE("discord client gives up on a held role lock after its longest wait") {
  auto& emulator = aa::test::shared_discord_emulator();
  auto store = aa::discord::make_in_process_store();
  auto options = client_options(emulator);
  options.max_rate_limit_wait = milliseconds(300);
  aa::discord::Client client(options, store);
  auto now_ms = std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  REQUIRE(store->cache_add("role_create:" + std::to_string(sample::guild_id) + ":Fleet", "1", std::chrono::seconds(30),
                           now_ms));

  auto matched = client.match_or_create_role(sample::guild_id, "Fleet", true);
  REQUIRE(matched.is(ErrorKind::rate_limited));
  CHECK(matched.error().retry_after > milliseconds(0));
  CHECK(matched.error().message.find("\"Fleet\"") != std::string::npos);
  CHECK(emulator.request_count("create_guild_role") == 0);
  // The cached and the fresh look, then one look per 200 ms poll until
  // the 300 ms are used up: two polls, not the fifty of a 10 s wait.
  CHECK(emulator.request_count("get_guild_roles") == 4);
}

TEST_CASE("discord clients of one store create a missing role once") {
  auto& emulator = aa::test::shared_discord_emulator();
  auto store = aa::discord::make_in_process_store();
  aa::discord::Client first(client_options(emulator), store);
  aa::discord::Client second(client_options(emulator), store);

  std::optional<aa::discord::Result<std::pair<aa::discord::Role, bool>>> first_match;
  std::thread asking([&] { first_match = first.match_or_create_role(sample::guild_id, "Industry", true); });
  auto second_match = second.match_or_create_role(sample::guild_id, "Industry", true);
  asking.join();

  REQUIRE(first_match);
  REQUIRE(first_match->ok());
  REQUIRE(second_match.ok());
  CHECK(first_match->value().first.id == second_match.value().first.id);
  CHECK(first_match->value().second != second_match.value().second);
  CHECK(emulator.request_count("create_guild_role") == 1);
}

TEST_CASE("discord client links a user through OAuth2") {
  auto& emulator = aa::test::shared_discord_emulator();
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());
  const std::string redirect_uri = "http://127.0.0.1:8000/discord/callback/";

  aa::HttpClientRequest authorize;
  authorize.url = emulator.base_url() + "/oauth2/authorize?" +
                  aa::form_encode({{"response_type", "code"},
                                   {"client_id", aa::test::kDiscordClientId},
                                   {"scope", "identify guilds.join"},
                                   {"redirect_uri", redirect_uri},
                                   {"state", "s"},
                                   {"user_id", std::to_string(sample::nelly_id)}});
  auto redirect = aa::http_send(authorize);
  REQUIRE(redirect.status == 302);
  std::smatch code;
  auto location = redirect.header("location");
  REQUIRE(std::regex_search(location, code, std::regex("[?&]code=([^&]*)")));

  auto tokens = client.exchange_code(aa::test::kDiscordClientId, aa::test::kDiscordClientSecret, code[1], redirect_uri);
  INFO((tokens.ok() ? std::string() : tokens.error().describe()));
  REQUIRE(tokens.ok());
  CHECK(tokens.value().expires_in == std::chrono::seconds(604800));

  auto user = client.current_user(tokens.value().access_token);
  REQUIRE(user.ok());
  CHECK(user.value().id == sample::nelly_id);
  CHECK(user.value().username == "Nelly");
  CHECK(user.value().discriminator == "1337");

  auto reused = client.exchange_code(aa::test::kDiscordClientId, aa::test::kDiscordClientSecret, code[1], redirect_uri);
  CHECK(reused.is(ErrorKind::bad_request));
}

TEST_CASE("discord client returns a long rate limit instead of waiting") {
  auto& emulator = aa::test::shared_discord_emulator();
  auto options = client_options(emulator);
  options.max_rate_limit_wait = milliseconds(200);
  aa::discord::Client client(options, aa::discord::make_in_process_store());
  emulator.control("POST", "faults", R"({"rate_limit":"user","route":"get_guild_roles","retry_after_ms":30000})");

  auto started = std::chrono::steady_clock::now();
  auto roles = client.guild_roles(sample::guild_id, false);
  REQUIRE(roles.is(ErrorKind::rate_limited));
  CHECK(roles.error().retry_after == milliseconds(30000));
  // The next call learns the wait from the store without sending anything.
  CHECK(client.guild_roles(sample::guild_id, false).is(ErrorKind::rate_limited));
  CHECK(emulator.request_count("get_guild_roles") == 1);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(25));
}

TEST_CASE("discord client keeps to limits through a 429 storm") {
  auto& emulator = aa::test::shared_discord_emulator();
  emulator.control("POST", "limits", R"({"bucket":"guild_member_role","limit":3,"window_ms":300})");
  emulator.control("POST", "limits", R"({"bucket":"modify_guild_member","limit":2,"window_ms":300})");
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());

  std::vector<long long> roles;
  for (int i = 0; i < 12; ++i) {
    auto role = client.create_guild_role(sample::guild_id, "Storm " + std::to_string(i));
    REQUIRE(role.ok());
    roles.push_back(role.value().id);
  }
  const std::vector<long long> members{sample::kaelen_id, sample::tovin_id, sample::ilse_id, sample::mira_id};
  for (auto id : members) make_member(emulator, id);
  make_member(emulator, sample::nelly_id);
  emulator.clear_requests();

  emulator.control("POST", "faults", R"({"rate_limit":"user","route":"add_guild_member_role","count":3,"retry_after_ms":200})");
  emulator.control("POST", "faults", R"({"rate_limit":"shared","route":"modify_guild_member","count":2,"retry_after_ms":100})");
  emulator.control("POST", "faults", R"({"rate_limit":"global","count":2,"retry_after_ms":150})");

  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int worker = 0; worker < 4; ++worker) {
    threads.emplace_back([&, worker] {
      for (std::size_t i = worker; i < roles.size(); i += 4) {
        if (!client.add_guild_member_role(sample::guild_id, sample::nelly_id, roles[i])) ++failures;
      }
      auto renamed = client.modify_guild_member(sample::guild_id, members[worker], std::nullopt,
                                                "Storm pilot " + std::to_string(worker));
      if (!renamed) ++failures;
    });
  }
  for (auto& thread : threads) thread.join();

  CHECK(failures == 0);
  CHECK(emulator.rate_limited_count("add_guild_member_role") == 0);
  CHECK(emulator.rate_limited_count("modify_guild_member") == 0);
  CHECK(emulator.injected_count("add_guild_member_role") + emulator.injected_count("modify_guild_member") == 7);

  auto nelly_roles = role_ids_of(emulator.member(sample::nelly_id));
  for (auto id : roles) CHECK(nelly_roles.count(id) == 1);
  for (int worker = 0; worker < 4; ++worker) {
    CHECK(nick_of(emulator.member(members[worker])) == "Storm pilot " + std::to_string(worker));
  }
}

TEST_CASE("discord clients in two processes share limits through redis") {
  if (aa::test::redis_port() == 0) {
    MESSAGE("no Redis server (AA_TEST_REDIS_PORT); run through scripts/test");
    return;
  }
  auto& emulator = aa::test::shared_discord_emulator();
  emulator.control("POST", "limits", R"({"bucket":"guild_member_role","limit":3,"window_ms":300})");
  make_member(emulator, sample::nelly_id);
  aa::discord::Client client(client_options(emulator), aa::discord::make_in_process_store());
  std::vector<std::string> roles;
  for (int i = 0; i < 16; ++i) {
    auto role = client.create_guild_role(sample::guild_id, "Shared " + std::to_string(i));
    REQUIRE(role.ok());
    roles.push_back(std::to_string(role.value().id));
  }
  emulator.clear_requests();

  auto prefix = "aa-test-" + std::to_string(std::random_device{}());
  auto run_half = [&](std::size_t first) {
    std::vector<std::string> args{emulator.api_url(), aa::test::kDiscordBotToken, std::to_string(aa::test::redis_port()),
                                  prefix, std::to_string(sample::guild_id), std::to_string(sample::nelly_id)};
    for (std::size_t i = first; i < roles.size(); i += 2) args.push_back(roles[i]);
    return std::make_unique<aa::test::ChildProcess>((aa::test::bin_dir() / "aa_discord_role_adder").string(), args);
  };
  auto first = run_half(0);
  auto second = run_half(1);
  CHECK(first->wait(std::chrono::seconds(60)).value_or(-1) == 0);
  CHECK(second->wait(std::chrono::seconds(60)).value_or(-1) == 0);

  CHECK(emulator.request_count("add_guild_member_role") == 16);
  CHECK(emulator.rate_limited_count("add_guild_member_role") == 0);
  auto nelly_roles = role_ids_of(emulator.member(sample::nelly_id));
  for (const auto& id : roles) CHECK(nelly_roles.count(std::stoll(id)) == 1);
}
