// The rate-limit rules of both RateLimitStore implementations, with a
// clock the test sets: the in-process store always, the Redis store when
// scripts/test started a Redis server.
#include <doctest/doctest.h>

#include <chrono>
#include <random>

#include "aa/discord.hpp"
#include "child_process.hpp"
#include "test_support.hpp"

namespace {

using aa::discord::RateLimitStore;
using std::chrono::milliseconds;

// The wait of a permit, for checks that do not need what it holds.
milliseconds wait_of(RateLimitStore& store, const std::string& route_name, const std::string& major,
                     std::int64_t now_ms) {
  return store.acquire(route_name, major, now_ms).wait;
}

const std::string route = "PATCH /guilds/{guild}/members/{user}";
const std::string other_route = "GET /guilds/{guild}/roles";
const std::string guild = "197038439483310086";
constexpr std::int64_t t0 = 1'800'000'000'000;

std::vector<std::string> store_labels() {
  std::vector<std::string> labels{"in-process"};
  if (aa::test::redis_port() != 0) labels.emplace_back("redis");
  return labels;
}

// A store with keys of its own, so runs and tests never share state.
std::shared_ptr<RateLimitStore> make_store(const std::string& label, int global_limit = 50) {
  if (label == "in-process") return aa::discord::make_in_process_store(global_limit);
  aa::discord::RedisStoreOptions options;
  options.port = aa::test::redis_port();
  options.prefix = "aa-test-" + std::to_string(std::random_device{}()) + std::to_string(t0);
  options.global_limit_per_second = global_limit;
  return aa::discord::make_redis_store(options);
}

}  // namespace

TEST_CASE("discord store lets one request learn an unknown bucket") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    auto probe = store->acquire(route, guild, t0);
    CHECK(probe.wait == milliseconds(0));
    CHECK(wait_of(*store, route, guild, t0) > milliseconds(0));
    // Another guild is another bucket, learned on its own.
    auto other_guild = store->acquire(route, "1", t0);
    CHECK(other_guild.wait == milliseconds(0));

    store->record(probe.held, route, guild, "bucket-a", 2, milliseconds(1000), t0 + 10);
    auto first = store->acquire(route, guild, t0 + 20);
    auto second = store->acquire(route, guild, t0 + 20);
    CHECK(first.wait == milliseconds(0));
    CHECK(second.wait == milliseconds(0));
    CHECK(wait_of(*store, route, guild, t0 + 20) == milliseconds(990));

    // After the reset one request learns the new window.
    store->record(first.held, route, guild, "bucket-a", 1, milliseconds(990), t0 + 20);
    store->record(second.held, route, guild, "bucket-a", 0, milliseconds(990), t0 + 20);
    CHECK(wait_of(*store, route, guild, t0 + 1010) == milliseconds(0));
    CHECK(wait_of(*store, route, guild, t0 + 1010) > milliseconds(0));
  }
}

TEST_CASE("discord store keeps the lowest remaining of one window") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    auto probe = store->acquire(route, guild, t0);
    REQUIRE(probe.wait == milliseconds(0));
    store->record(probe.held, route, guild, "bucket-a", 1, milliseconds(1000), t0);
    // A late response from earlier in the window must not raise the count.
    store->record("", route, guild, "bucket-a", 5, milliseconds(900), t0 + 100);
    CHECK(wait_of(*store, route, guild, t0 + 100) == milliseconds(0));
    CHECK(wait_of(*store, route, guild, t0 + 100) == milliseconds(900));
  }
}

TEST_CASE("discord store counts requests in flight against remaining") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    auto probe = store->acquire(route, guild, t0);
    store->record(probe.held, route, guild, "bucket-a", 3, milliseconds(1000), t0);
    auto first = store->acquire(route, guild, t0 + 1);
    auto second = store->acquire(route, guild, t0 + 1);
    REQUIRE(first.wait == milliseconds(0));
    REQUIRE(second.wait == milliseconds(0));

    // The window ends while both are in flight; the response of the first
    // starts the new state, and the second may not be counted yet.
    store->record(first.held, route, guild, "bucket-a", 2, milliseconds(1000), t0 + 1200);
    auto third = store->acquire(route, guild, t0 + 1200);
    CHECK(third.wait == milliseconds(0));
    CHECK(wait_of(*store, route, guild, t0 + 1200) == milliseconds(1000));
    store->release(second.held);
    store->release(third.held);
  }
}

TEST_CASE("discord store routes without a bucket only count globally") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label, 3);
    auto probe = store->acquire(other_route, guild, t0);
    REQUIRE(probe.wait == milliseconds(0));
    store->record(probe.held, other_route, guild, "", std::nullopt, milliseconds(0), t0);
    CHECK(wait_of(*store, other_route, guild, t0 + 100) == milliseconds(0));
    CHECK(wait_of(*store, other_route, guild, t0 + 200) == milliseconds(0));
    // Three sends within the last second: the fourth waits for the oldest to age out.
    CHECK(wait_of(*store, other_route, guild, t0 + 300) == milliseconds(700));
    CHECK(wait_of(*store, other_route, guild, t0 + 1000) == milliseconds(0));
  }
}

TEST_CASE("discord store global 429 blocks every route") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    auto permit = store->acquire(other_route, guild, t0);
    REQUIRE(permit.wait == milliseconds(0));
    store->record_429(permit.held, other_route, guild, "", true, false, milliseconds(1500), t0);
    CHECK(wait_of(*store, route, guild, t0 + 500) == milliseconds(1000));
    CHECK(wait_of(*store, other_route, "1", t0 + 500) == milliseconds(1000));
    CHECK(wait_of(*store, route, guild, t0 + 1500) == milliseconds(0));
  }
}

TEST_CASE("discord store route 429 holds its bucket only") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    auto permit = store->acquire(route, guild, t0);
    REQUIRE(permit.wait == milliseconds(0));
    store->record_429(permit.held, route, guild, "bucket-a", false, false, milliseconds(2000), t0);
    CHECK(wait_of(*store, route, guild, t0 + 1) == milliseconds(1999));
    CHECK(wait_of(*store, other_route, guild, t0 + 1) == milliseconds(0));
  }
}

TEST_CASE("discord store shared 429 records nothing") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    auto probe = store->acquire(route, guild, t0);
    store->record(probe.held, route, guild, "bucket-a", 5, milliseconds(1000), t0);
    auto permit = store->acquire(route, guild, t0);
    REQUIRE(permit.wait == milliseconds(0));
    store->record_429(permit.held, route, guild, "bucket-a", false, true, milliseconds(5000), t0);
    CHECK(wait_of(*store, route, guild, t0 + 1) == milliseconds(0));
  }
}

TEST_CASE("discord store release frees a probe without an answer") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    auto probe = store->acquire(route, guild, t0);
    REQUIRE(probe.wait == milliseconds(0));
    REQUIRE(wait_of(*store, route, guild, t0) > milliseconds(0));
    store->release(probe.held);
    CHECK(wait_of(*store, route, guild, t0) == milliseconds(0));
  }
}

TEST_CASE("discord store caches until erased") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    CHECK_FALSE(store->cache_get("guild_name:1", t0).has_value());
    store->cache_put("guild_name:1", "Discord Testers", std::chrono::seconds(60), t0);
    CHECK(store->cache_get("guild_name:1", t0 + 1000).value_or("") == "Discord Testers");
    store->cache_erase("guild_name:1");
    CHECK_FALSE(store->cache_get("guild_name:1", t0 + 1000).has_value());
  }
}

TEST_CASE("discord store adds a cache entry only once") {
  for (const auto& label : store_labels()) {
    CAPTURE(label);
    auto store = make_store(label);
    CHECK(store->cache_add("role_create:1:Fleet", "1", std::chrono::seconds(30), t0));
    CHECK_FALSE(store->cache_add("role_create:1:Fleet", "1", std::chrono::seconds(30), t0 + 10));
    CHECK(store->cache_add("role_create:1:Industry", "1", std::chrono::seconds(30), t0 + 10));
    store->cache_erase("role_create:1:Fleet");
    CHECK(store->cache_add("role_create:1:Fleet", "1", std::chrono::seconds(30), t0 + 20));
  }
}

TEST_CASE("discord in-process cache add replaces an expired entry") {
  auto store = aa::discord::make_in_process_store();
  REQUIRE(store->cache_add("role_create:1:Fleet", "1", std::chrono::seconds(30), t0));
  CHECK_FALSE(store->cache_add("role_create:1:Fleet", "1", std::chrono::seconds(30), t0 + 29'999));
  CHECK(store->cache_add("role_create:1:Fleet", "1", std::chrono::seconds(30), t0 + 30'000));
}

TEST_CASE("discord in-process cache entry expires after its max age") {
  auto store = aa::discord::make_in_process_store();
  store->cache_put("roles:1", "[]", std::chrono::seconds(3600), t0);
  CHECK(store->cache_get("roles:1", t0 + 3'599'999).has_value());
  CHECK_FALSE(store->cache_get("roles:1", t0 + 3'600'000).has_value());
}

TEST_CASE("discord redis store falls back when redis is unreachable") {
  aa::discord::RedisStoreOptions options;
  options.port = aa::test::free_port();
  options.timeout = std::chrono::milliseconds(500);
  auto store = aa::discord::make_redis_store(options);
  auto probe = store->acquire(route, guild, t0);
  CHECK(probe.wait == milliseconds(0));
  CHECK(wait_of(*store, route, guild, t0) > milliseconds(0));
  store->record(probe.held, route, guild, "bucket-a", 0, milliseconds(1000), t0);
  CHECK(wait_of(*store, route, guild, t0 + 10) == milliseconds(990));
}

TEST_CASE("discord redis stores with one prefix share state") {
  if (aa::test::redis_port() == 0) {
    MESSAGE("no Redis server (AA_TEST_REDIS_PORT); run through scripts/test");
    return;
  }
  aa::discord::RedisStoreOptions options;
  options.port = aa::test::redis_port();
  options.prefix = "aa-test-shared-" + std::to_string(std::random_device{}());
  auto first = aa::discord::make_redis_store(options);
  auto second = aa::discord::make_redis_store(options);

  auto probe = first->acquire(route, guild, t0);
  REQUIRE(probe.wait == milliseconds(0));
  CHECK(wait_of(*second, route, guild, t0) > milliseconds(0));
  first->record(probe.held, route, guild, "bucket-a", 1, milliseconds(1000), t0);
  CHECK(wait_of(*second, route, guild, t0 + 1) == milliseconds(0));
  CHECK(wait_of(*first, route, guild, t0 + 1) == milliseconds(999));

  second->cache_put("guild_name:1", "Discord Testers", std::chrono::seconds(60), t0);
  CHECK(first->cache_get("guild_name:1", t0).value_or("") == "Discord Testers");
  CHECK(first->cache_add("role_create:1:Fleet", "1", std::chrono::seconds(30), t0));
  CHECK_FALSE(second->cache_add("role_create:1:Fleet", "1", std::chrono::seconds(30), t0));
}
