// aa_discord_store_bench [--count N] [--redis-port P]
// Times the rate-limit bookkeeping of one Discord call, an acquire() and a
// record(), on the in-process store and, with --redis-port, on the Redis
// store (two Lua script calls per Discord call). Prints one line per store.
// The global limit is raised out of the way and the bucket never runs
// dry, so the numbers are the bookkeeping alone.
#include <chrono>
#include <iostream>
#include <random>
#include <string>

#include "aa/discord.hpp"

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void run(const std::string& label, aa::discord::RateLimitStore& store, int count) {
  const std::string route = "PATCH /guilds/{guild}/members/{user}";
  const std::string guild = "197038439483310086";
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    auto permit = store.acquire(route, guild, now_ms());
    if (permit.wait.count() > 0) {
      std::cerr << label << ": acquire asked to wait " << permit.wait.count() << " ms at call " << i << '\n';
      std::exit(1);
    }
    store.record(permit.held, route, guild, "bench-bucket", 1'000'000, std::chrono::milliseconds(60'000), now_ms());
  }
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << label << ": " << count << " calls in " << seconds << " s, " << static_cast<long>(count / seconds)
            << " calls/s, " << seconds * 1e6 / count << " us per call\n";
}

}  // namespace

int main(int argc, char** argv) {
  int count = 20000;
  int redis_port = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--count") {
      count = std::stoi(argv[i + 1]);
    } else if (flag == "--redis-port") {
      redis_port = std::stoi(argv[i + 1]);
    } else {
      std::cerr << "usage: aa_discord_store_bench [--count N] [--redis-port P]\n";
      return 2;
    }
  }

  constexpr int kNoGlobalLimit = 1'000'000'000;
  run("in-process", *aa::discord::make_in_process_store(kNoGlobalLimit), count);
  if (redis_port != 0) {
    aa::discord::RedisStoreOptions options;
    options.port = redis_port;
    options.prefix = "aa-bench-" + std::to_string(std::random_device{}());
    options.global_limit_per_second = kNoGlobalLimit;
    run("redis", *aa::discord::make_redis_store(options), count);
  }
  return 0;
}
