// The rate-limit store in Redis. Each step is one Lua script, so that
// acquire's check-and-reserve is atomic across every process that shares
// the server; the scripts follow the same rules as InProcessStore.
#include <hiredis.h>

#include <mutex>
#include <stdexcept>

#include "aa/settings.hpp"
#include "discord/in_process_store.hpp"

namespace aa::discord {
namespace {

// KEYS are not used because every key name depends on the stored route
// mapping; the store is meant for one Redis server, not a cluster.
constexpr const char* kAcquireScript = R"lua(
local p, route, major = ARGV[1], ARGV[2], ARGV[3]
local now, limit = tonumber(ARGV[4]), tonumber(ARGV[5])
local probe_ttl, poll = tonumber(ARGV[6]), tonumber(ARGV[7])

local blocked = tonumber(redis.call('GET', p .. 'global_until') or '0')
if blocked > now then return tostring(blocked - now) .. '\n\n' end

-- The bucket first, so that a request its bucket holds back takes no global slot.
local bucket = redis.call('GET', p .. 'route:' .. route)
local probe, state_key, counted = '', nil, ''
if not bucket then
  probe = p .. 'probe:route:' .. route .. ':' .. major
elseif bucket ~= '' then
  counted = p .. 'inflight:' .. bucket .. ':' .. major
  state_key = p .. 'bucket:' .. bucket .. ':' .. major
  local state = redis.call('HMGET', state_key, 'remaining', 'reset_at')
  if state[1] and tonumber(state[2]) > now then
    if tonumber(state[1]) <= 0 then return tostring(tonumber(state[2]) - now) .. '\n\n' end
  else
    probe = p .. 'probe:bucket:' .. bucket .. ':' .. major
    state_key = nil
  end
end

if probe ~= '' and redis.call('EXISTS', probe) == 1 then return tostring(poll) .. '\n\n' end

local sent = p .. 'global_sent'
redis.call('ZREMRANGEBYSCORE', sent, '-inf', now - 1000)
if redis.call('ZCARD', sent) >= limit then
  local oldest = redis.call('ZRANGE', sent, 0, 0, 'WITHSCORES')
  return tostring(math.max(1, tonumber(oldest[2]) + 1000 - now)) .. '\n\n'
end
redis.call('ZADD', sent, now, now .. ':' .. redis.call('INCR', p .. 'global_seq'))
redis.call('PEXPIRE', sent, 2000)

if state_key then redis.call('HINCRBY', state_key, 'remaining', -1) end
if probe ~= '' then redis.call('SET', probe, '1', 'PX', probe_ttl) end
if counted ~= '' then
  redis.call('INCR', counted)
  redis.call('PEXPIRE', counted, probe_ttl)
end
return '0\n' .. probe .. '\n' .. counted
)lua";

// Every script that ends a request first frees what the request held:
// ARGV[1] the probe key, ARGV[2] the in-flight counter, either empty.
constexpr const char* kEndRequest = R"lua(
if ARGV[1] ~= '' then redis.call('DEL', ARGV[1]) end
if ARGV[2] ~= '' and redis.call('DECR', ARGV[2]) <= 0 then redis.call('DEL', ARGV[2]) end
)lua";

const std::string kReleaseScript = std::string(kEndRequest) + "return 0\n";

const std::string kRecordScript = std::string(kEndRequest) + R"lua(
local p, route, major, bucket = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local remaining, reset_after, now = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])

redis.call('SET', p .. 'route:' .. route, bucket, 'EX', 86400)
if bucket == '' or not remaining then return 0 end

-- Requests still in flight may not be in Discord's count yet. Responses of
-- one window may arrive in any order, so the lowest count and the latest
-- reset win.
local in_flight = tonumber(redis.call('GET', p .. 'inflight:' .. bucket .. ':' .. major) or '0')
remaining = remaining - in_flight
local key = p .. 'bucket:' .. bucket .. ':' .. major
local reset_at = now + reset_after
local state = redis.call('HMGET', key, 'remaining', 'reset_at')
if state[1] and tonumber(state[2]) > now then
  remaining = math.min(remaining, tonumber(state[1]))
  reset_at = math.max(reset_at, tonumber(state[2]))
end
redis.call('HSET', key, 'remaining', remaining, 'reset_at', reset_at)
redis.call('PEXPIRE', key, reset_at - now + 60000)
return 0
)lua";

const std::string kRecord429Script = std::string(kEndRequest) + R"lua(
local p, route, major, bucket = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local global, shared = ARGV[7] == '1', ARGV[8] == '1'
local retry_after, now = tonumber(ARGV[9]), tonumber(ARGV[10])

if global then
  local blocked = tonumber(redis.call('GET', p .. 'global_until') or '0')
  if now + retry_after > blocked then
    redis.call('SET', p .. 'global_until', now + retry_after, 'PX', retry_after)
  end
  return 0
end
if shared then return 0 end

-- A 429 without a bucket header still limits this route, so the route
-- gets a bucket of its own until Discord names one.
if bucket == '' then bucket = 'route:' .. route end
redis.call('SET', p .. 'route:' .. route, bucket, 'EX', 86400)
local key = p .. 'bucket:' .. bucket .. ':' .. major
redis.call('HSET', key, 'remaining', 0, 'reset_at', now + retry_after)
redis.call('PEXPIRE', key, retry_after + 60000)
return 0
)lua";

/// Permit::held of a permit from Redis starts with this line; others come
/// from the in-process fallback.
constexpr std::string_view kRedisHeld = "redis\n";

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval value{};
  value.tv_sec = static_cast<time_t>(duration.count() / 1000);
  value.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return value;
}

struct RedisFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One hiredis connection, reconnected on the next command after a failure.
// The reply is returned as integer or text; a Redis error reply throws.
class RedisLink {
 public:
  explicit RedisLink(RedisStoreOptions options) : options_(std::move(options)) {}
  ~RedisLink() { disconnect(); }
  RedisLink(const RedisLink&) = delete;
  RedisLink& operator=(const RedisLink&) = delete;

  struct Reply {
    bool nil = true;
    long long integer = 0;
    std::string text;
  };

  Reply command(const std::vector<std::string>& args) {
    if (!context_) connect();
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& arg : args) {
      argv.push_back(arg.data());
      lengths.push_back(arg.size());
    }
    auto* reply = static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(), lengths.data()));
    if (!reply) {
      std::string reason = context_->errstr;
      disconnect();
      throw RedisFailure("Redis at " + where() + " failed: " + reason);
    }
    Reply out;
    out.nil = reply->type == REDIS_REPLY_NIL;
    out.integer = reply->integer;
    if (reply->str) out.text.assign(reply->str, reply->len);
    bool is_error = reply->type == REDIS_REPLY_ERROR;
    freeReplyObject(reply);
    if (is_error) throw RedisFailure("Redis at " + where() + " returned an error: " + out.text);
    return out;
  }

  std::string where() const {
    return options_.unix_socket.empty() ? options_.host + ":" + std::to_string(options_.port) : options_.unix_socket;
  }

 private:
  void connect() {
    auto timeout = to_timeval(options_.timeout);
    context_ = options_.unix_socket.empty()
                   ? redisConnectWithTimeout(options_.host.c_str(), options_.port, timeout)
                   : redisConnectUnixWithTimeout(options_.unix_socket.c_str(), timeout);
    if (!context_ || context_->err) {
      std::string reason = context_ ? context_->errstr : "out of memory";
      disconnect();
      throw RedisFailure("cannot connect to Redis at " + where() + ": " + reason);
    }
    redisSetTimeout(context_, timeout);
    if (!options_.password.empty()) command({"AUTH", options_.password});
    if (options_.database != 0) command({"SELECT", std::to_string(options_.database)});
  }

  void disconnect() {
    if (context_) redisFree(context_);
    context_ = nullptr;
  }

  RedisStoreOptions options_;
  redisContext* context_ = nullptr;
};

class RedisStore final : public RateLimitStore {
 public:
  RedisStore(RedisStoreOptions options, Logger* logger)
      : prefix_(options.prefix + ":discord:"),
        global_limit_(options.global_limit_per_second),
        link_(options),
        fallback_(options.global_limit_per_second),
        logger_(logger) {}

  Permit acquire(const std::string& route, const std::string& major, std::int64_t now_ms) override {
    auto reply = run(kAcquireScript, {route, major, std::to_string(now_ms), std::to_string(global_limit_),
                                      std::to_string(kProbeTimeToLive.count()), std::to_string(kProbePoll.count())});
    if (!reply) return fallback_.acquire(route, major, now_ms);

    // "<wait ms>\n<probe key>\n<in-flight key>"
    auto newline = reply->text.find('\n');
    Permit permit;
    permit.wait = std::chrono::milliseconds(std::stoll(reply->text.substr(0, newline)));
    if (permit.wait.count() == 0) permit.held = std::string(kRedisHeld) + reply->text.substr(newline + 1);
    return permit;
  }

  void record(const std::string& held, const std::string& route, const std::string& major, const std::string& bucket,
              std::optional<int> remaining, std::chrono::milliseconds reset_after, std::int64_t now_ms) override {
    auto [redis_held, local_held] = split(held);
    fallback_.record(local_held, route, major, bucket, remaining, reset_after, now_ms);
    run(kRecordScript, {redis_held.first, redis_held.second, prefix_, route, major, bucket,
                        remaining ? std::to_string(*remaining) : std::string(), std::to_string(reset_after.count()),
                        std::to_string(now_ms)},
        false);
  }

  void record_429(const std::string& held, const std::string& route, const std::string& major,
                  const std::string& bucket, bool global, bool shared, std::chrono::milliseconds retry_after,
                  std::int64_t now_ms) override {
    auto [redis_held, local_held] = split(held);
    fallback_.record_429(local_held, route, major, bucket, global, shared, retry_after, now_ms);
    run(kRecord429Script, {redis_held.first, redis_held.second, prefix_, route, major, bucket, global ? "1" : "0",
                           shared ? "1" : "0", std::to_string(retry_after.count()), std::to_string(now_ms)},
        false);
  }

  void release(const std::string& held) override {
    auto [redis_held, local_held] = split(held);
    fallback_.release(local_held);
    run(kReleaseScript, {redis_held.first, redis_held.second}, false);
  }

  std::optional<std::string> cache_get(const std::string& key, std::int64_t now_ms) override {
    auto reply = call({"GET", prefix_ + "cache:" + key});
    if (!reply) return fallback_.cache_get(key, now_ms);
    if (reply->nil) return std::nullopt;
    return reply->text;
  }

  void cache_put(const std::string& key, const std::string& value, std::chrono::seconds max_age,
                 std::int64_t now_ms) override {
    fallback_.cache_put(key, value, max_age, now_ms);
    call({"SET", prefix_ + "cache:" + key, value, "EX", std::to_string(std::max<long long>(1, max_age.count()))});
  }

  void cache_erase(const std::string& key) override {
    fallback_.cache_erase(key);
    call({"DEL", prefix_ + "cache:" + key});
  }

  bool cache_add(const std::string& key, const std::string& value, std::chrono::seconds max_age,
                 std::int64_t now_ms) override {
    auto reply = call({"SET", prefix_ + "cache:" + key, value, "NX", "EX",
                       std::to_string(std::max<long long>(1, max_age.count()))});
    if (!reply) return fallback_.cache_add(key, value, max_age, now_ms);
    // SET NX returns nil when the key exists.
    return !reply->nil;
  }

 private:
  // Splits a held string into the Redis keys (probe, in-flight) and the
  // fallback's held string; the part that does not apply is empty.
  static std::pair<std::pair<std::string, std::string>, std::string> split(const std::string& held) {
    if (held.compare(0, kRedisHeld.size(), kRedisHeld) != 0) return {{}, held};
    return {split_held(held.substr(kRedisHeld.size())), {}};
  }

  // Runs a script; the acquire script takes the key prefix first, the
  // others take the held keys first and the prefix third.
  std::optional<RedisLink::Reply> run(const std::string& script, std::vector<std::string> args,
                                      bool prefix_first = true) {
    std::vector<std::string> command{"EVAL", script, "0"};
    if (prefix_first) command.push_back(prefix_);
    command.insert(command.end(), std::make_move_iterator(args.begin()), std::make_move_iterator(args.end()));
    return call(command);
  }

  // Returns nothing when Redis failed; the first failure of a streak is
  // logged, and the caller falls back to the in-process state.
  std::optional<RedisLink::Reply> call(const std::vector<std::string>& command) {
    std::lock_guard lock(mutex_);
    try {
      auto reply = link_.command(command);
      if (failing_ && logger_) logger_->info("Discord rate limits are shared through Redis at " + link_.where() + " again");
      failing_ = false;
      return reply;
    } catch (const RedisFailure& failure) {
      if (!failing_ && logger_) {
        logger_->warning(std::string(failure.what()) +
                         "; Discord rate limits and caches are kept in this process until Redis answers again");
      }
      failing_ = true;
      return std::nullopt;
    }
  }

  std::string prefix_;
  int global_limit_;
  std::mutex mutex_;  ///< Guards link_ and failing_.
  RedisLink link_;
  bool failing_ = false;
  InProcessStore fallback_;
  Logger* logger_;
};

}  // namespace

std::shared_ptr<RateLimitStore> make_redis_store(RedisStoreOptions options, Logger* logger) {
  return std::make_shared<RedisStore>(std::move(options), logger);
}

std::shared_ptr<RateLimitStore> make_rate_limit_store(const Settings& settings, Logger* logger) {
  if (settings.string_or("tasks.backend", "embedded") != "redis") return make_in_process_store();

  RedisStoreOptions options;
  options.host = settings.string_or("redis.host", options.host);
  options.port = static_cast<int>(settings.int_or("redis.port", options.port));
  options.unix_socket = settings.string_or("redis.unix_socket", "");
  options.password = settings.string_or("redis.password", "");
  options.database = static_cast<int>(settings.int_or("redis.database", 0));
  options.prefix = settings.string_or("redis.prefix", options.prefix);
  options.timeout = std::chrono::milliseconds(settings.int_or("redis.timeout_ms", options.timeout.count()));
  return make_redis_store(std::move(options), logger);
}

}  // namespace aa::discord
