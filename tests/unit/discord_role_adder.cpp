// aa_discord_role_adder API_URL BOT_TOKEN REDIS_PORT PREFIX GUILD USER ROLE...
// Adds each role to the member with the SDK's Discord client and a Redis
// rate-limit store, so a test can run two at once and check that they share
// the limits. Exits 0 when every call succeeded, else 1 with the errors.
#include <iostream>

#include "aa/discord.hpp"

int main(int argc, char** argv) {
  if (argc < 8) {
    std::cerr << "usage: aa_discord_role_adder API_URL BOT_TOKEN REDIS_PORT PREFIX GUILD USER ROLE...\n";
    return 2;
  }
  aa::discord::RedisStoreOptions redis;
  redis.port = std::stoi(argv[3]);
  redis.prefix = argv[4];

  aa::discord::ClientOptions options;
  options.api_base_url = argv[1];
  options.bot_token = argv[2];
  aa::discord::Client client(options, aa::discord::make_redis_store(redis));

  int failures = 0;
  for (int i = 7; i < argc; ++i) {
    auto added = client.add_guild_member_role(std::stoll(argv[5]), std::stoll(argv[6]), std::stoll(argv[i]));
    if (!added) {
      std::cerr << "role " << argv[i] << ": " << added.error().describe() << '\n';
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}
