#include "tasks/redis_backend.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "app/logging.hpp"
#include "auth/crypto.hpp"
#include "db/database.hpp"

namespace aa::core {
namespace {

// Every script reads the time from Redis (TIME), and callers pass durations
// only. Claims, countdowns and retry pauses are then measured on one clock,
// so a machine whose clock is off or jumps cannot expire live claims.
constexpr const char* kNowFunction = R"lua(
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
)lua";

// ARGV: prefix, id, message, queue, priority, delay_ms, once_key.
// Returns 0 when the only-once lock is held, 1 when stored. The lock
// P:once:KEY names the task that holds it. It is held while that task
// exists (queued, delayed or running), however long that is. A lock whose
// task is gone is free. A running holder gets P:rerun:ID, so that it runs
// once more: it may have read its data before this enqueue.
const std::string kEnqueue = std::string(kNowFunction) + R"lua(
local p = ARGV[1]
local id = ARGV[2]
if ARGV[7] ~= '' then
  local lock = p .. ':once:' .. ARGV[7]
  local holder = redis.call('GET', lock)
  if holder and redis.call('EXISTS', p .. ':task:' .. holder) == 1 then
    if redis.call('HEXISTS', p .. ':claims', holder) == 1 then redis.call('SET', p .. ':rerun:' .. holder, '1') end
    return 0
  end
  redis.call('SET', lock, id)
end
redis.call('SET', p .. ':task:' .. id, ARGV[3])
redis.call('SADD', p .. ':queues', ARGV[4])
local delay = tonumber(ARGV[6])
if delay > 0 then
  redis.call('ZADD', p .. ':delayed', now_ms() + delay, id)
else
  local seq = redis.call('INCR', p .. ':seq')
  redis.call('ZADD', p .. ':queue:' .. ARGV[4], tonumber(ARGV[5]) * 1e12 + seq, id)
  redis.call('LPUSH', p .. ':notify:' .. ARGV[4], '1')
  redis.call('LTRIM', p .. ':notify:' .. ARGV[4], 0, 63)
end
return 1
)lua";

// ARGV: prefix, claim_ms, token, queue names...
// Takes the ready task with the lowest score across the queues.
// Returns {id, message, deliveries} or an empty array.
const std::string kClaim = std::string(kNowFunction) + R"lua(
local p = ARGV[1]
local best_queue, best_score
for i = 4, #ARGV do
  local head = redis.call('ZRANGE', p .. ':queue:' .. ARGV[i], 0, 0, 'WITHSCORES')
  if #head > 0 and (best_score == nil or tonumber(head[2]) < best_score) then
    best_queue = ARGV[i]
    best_score = tonumber(head[2])
  end
end
if best_queue == nil then return {} end
local popped = redis.call('ZPOPMIN', p .. ':queue:' .. best_queue)
local id = popped[1]
local message = redis.call('GET', p .. ':task:' .. id)
if not message then return {} end
redis.call('ZADD', p .. ':running', now_ms() + tonumber(ARGV[2]), id)
redis.call('HSET', p .. ':claims', id, ARGV[3])
local deliveries = redis.call('HINCRBY', p .. ':deliveries', id, 1)
return {id, message, deliveries}
)lua";

// ARGV: prefix, id, token, claim_ms. Returns 1 when renewed.
const std::string kRenew = std::string(kNowFunction) + R"lua(
local p = ARGV[1]
if redis.call('HGET', p .. ':claims', ARGV[2]) ~= ARGV[3] then return 0 end
redis.call('ZADD', p .. ':running', 'XX', now_ms() + tonumber(ARGV[4]), ARGV[2])
return 1
)lua";

// ARGV: prefix, id, token, once_key, rerun message, queue, priority.
// Removes the task; returns 1 when the claim was current. When P:rerun:ID
// is set and a rerun message is given, the task is queued again as that
// message instead, keeping its only-once lock.
constexpr const char* kFinish = R"lua(
local p = ARGV[1]
local id = ARGV[2]
if redis.call('HGET', p .. ':claims', id) ~= ARGV[3] then return 0 end
redis.call('ZREM', p .. ':running', id)
redis.call('HDEL', p .. ':claims', id)
redis.call('HDEL', p .. ':deliveries', id)
if redis.call('DEL', p .. ':rerun:' .. id) == 1 and ARGV[5] and ARGV[5] ~= '' then
  redis.call('SET', p .. ':task:' .. id, ARGV[5])
  local seq = redis.call('INCR', p .. ':seq')
  redis.call('ZADD', p .. ':queue:' .. ARGV[6], tonumber(ARGV[7]) * 1e12 + seq, id)
  redis.call('LPUSH', p .. ':notify:' .. ARGV[6], '1')
  redis.call('LTRIM', p .. ':notify:' .. ARGV[6], 0, 63)
  return 1
end
redis.call('DEL', p .. ':task:' .. id)
if ARGV[4] ~= '' and redis.call('GET', p .. ':once:' .. ARGV[4]) == id then
  redis.call('DEL', p .. ':once:' .. ARGV[4])
end
return 1
)lua";

// ARGV: prefix, id, token, message, delay_ms. Returns 1 when the claim was current.
const std::string kRequeue = std::string(kNowFunction) + R"lua(
local p = ARGV[1]
local id = ARGV[2]
if redis.call('HGET', p .. ':claims', id) ~= ARGV[3] then return 0 end
redis.call('ZREM', p .. ':running', id)
redis.call('HDEL', p .. ':claims', id)
redis.call('HDEL', p .. ':deliveries', id)
redis.call('DEL', p .. ':rerun:' .. id)
redis.call('SET', p .. ':task:' .. id, ARGV[4])
redis.call('ZADD', p .. ':delayed', now_ms() + math.max(0, tonumber(ARGV[5])), id)
return 1
)lua";

// ARGV: prefix. Moves due delayed tasks and expired claims to their ready
// queues, up to 1000 of each per call. Returns {due, expired}.
const std::string kMaintain = std::string(kNowFunction) + R"lua(
local p = ARGV[1]
local now = now_ms()
local function make_ready(id)
  local message = redis.call('GET', p .. ':task:' .. id)
  if not message then return end
  -- A message that is not a task (written by hand) moves to P:broken, so
  -- it cannot stop every later task from becoming ready.
  local decoded, task = pcall(cjson.decode, message)
  if not decoded or type(task) ~= 'table' or type(task.queue) ~= 'string' or type(task.priority) ~= 'number' then
    redis.call('HSET', p .. ':broken', id, message)
    redis.call('DEL', p .. ':task:' .. id)
    redis.call('HDEL', p .. ':deliveries', id)
    return
  end
  local seq = redis.call('INCR', p .. ':seq')
  redis.call('ZADD', p .. ':queue:' .. task.queue, task.priority * 1e12 + seq, id)
  redis.call('LPUSH', p .. ':notify:' .. task.queue, '1')
  redis.call('LTRIM', p .. ':notify:' .. task.queue, 0, 63)
end
local due = redis.call('ZRANGEBYSCORE', p .. ':delayed', '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(due) do
  redis.call('ZREM', p .. ':delayed', id)
  make_ready(id)
end
local expired = redis.call('ZRANGEBYSCORE', p .. ':running', '-inf', now, 'LIMIT', 0, 1000)
for _, id in ipairs(expired) do
  redis.call('ZREM', p .. ':running', id)
  redis.call('HDEL', p .. ':claims', id)
  make_ready(id)
end
return {#due, #expired}
)lua";

// ARGV: prefix, first minute, last minute. Sums the per-minute statistics
// hashes in Redis, so the dashboard makes one round trip for a whole day.
// Returns a flat array: field, runs, field, runs, ...
constexpr const char* kStatistics = R"lua(
local p = ARGV[1]
local totals = {}
for minute = tonumber(ARGV[2]), tonumber(ARGV[3]) do
  local fields = redis.call('HGETALL', p .. ':stats:' .. minute)
  for i = 1, #fields, 2 do
    totals[fields[i]] = (totals[fields[i]] or 0) + tonumber(fields[i + 1])
  end
end
local flat = {}
for field, runs in pairs(totals) do
  flat[#flat + 1] = field
  flat[#flat + 1] = runs
end
return flat
)lua";

std::string sha1_hex(const std::string& text) {
  // Redis names loaded scripts by the SHA-1 of their text.
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr);
  std::string hex;
  char buffer[3];
  for (unsigned int i = 0; i < length; ++i) {
    unsigned char byte = digest[i];
    std::snprintf(buffer, sizeof buffer, "%02x", byte);
    hex += buffer;
  }
  return hex;
}

const char* outcome_name(TaskOutcome outcome) {
  switch (outcome) {
    case TaskOutcome::succeeded: return "succeeded";
    case TaskOutcome::retried: return "retried";
    case TaskOutcome::failed: return "failed";
  }
  return "failed";
}

void expect_ok(const RedisReply& reply, const std::string& what) {
  if (reply.type == RedisReply::Type::error) throw std::runtime_error("Redis " + what + " failed: " + reply.text);
}

}  // namespace

long long RedisTaskBackend::delay_until(long long eta_ms) const {
  return std::max(0LL, eta_ms - settings_.clock_ms());
}

RedisTaskBackend::RedisTaskBackend(RedisOptions options, std::string prefix, BackendSettings settings)
    : pool_(std::move(options)), prefix_(std::move(prefix)), settings_(settings) {}

RedisReply RedisTaskBackend::script(RedisConnection& connection, const std::string& body,
                                    std::vector<std::string> args) {
  std::vector<std::string> command{"EVALSHA", sha1_hex(body), "0"};
  command.insert(command.end(), args.begin(), args.end());
  auto reply = connection.command(command);
  if (reply.type == RedisReply::Type::error && reply.text.starts_with("NOSCRIPT")) {
    command[0] = "EVAL";
    command[1] = body;
    reply = connection.command(command);
  }
  if (reply.type == RedisReply::Type::error) throw std::runtime_error("Redis script failed: " + reply.text);
  return reply;
}

std::optional<std::string> RedisTaskBackend::enqueue(TaskMessage message) {
  message.id = random_token(12);
  auto lease = pool_.lease();
  auto reply = script(*lease, kEnqueue,
                      {prefix_, message.id, to_json(message), message.queue, std::to_string(message.priority),
                       std::to_string(delay_until(message.eta_ms)), message.once_key});
  if (reply.integer == 0) return std::nullopt;
  return message.id;
}

std::optional<ClaimedTask> RedisTaskBackend::claim(const std::vector<std::string>& queues) {
  if (queues.empty()) return std::nullopt;
  auto token = random_token(16);
  std::vector<std::string> args{prefix_, std::to_string(settings_.visibility_timeout.count()), token};
  args.insert(args.end(), queues.begin(), queues.end());
  auto lease = pool_.lease();
  auto reply = script(*lease, kClaim, std::move(args));
  if (reply.elements.size() != 3) return std::nullopt;
  TaskMessage message;
  try {
    message = message_from_json(reply.elements[1].text);
  } catch (const std::invalid_argument& error) {
    // Not written by enqueue (by hand, or by another version): kept aside
    // under P:broken for the admin, and the worker goes on.
    core_log().error("task {} in Redis is not a task message ({}); moved to the hash {}:broken, not run",
                     reply.elements[0].text, error.what(), prefix_);
    lease->command({"HSET", prefix_ + ":broken", reply.elements[0].text, reply.elements[1].text});
    script(*lease, kFinish, {prefix_, reply.elements[0].text, token, ""});
    return std::nullopt;
  }
  ClaimedTask task{std::move(message), token};
  task.message.id = reply.elements[0].text;
  task.message.deliveries = static_cast<int>(reply.elements[2].integer);
  return task;
}

void RedisTaskBackend::wait_for_work(const std::vector<std::string>& queues, std::chrono::milliseconds timeout) {
  // BLPOP takes whole seconds in Redis 5 and earlier; 7 accepts decimals.
  std::vector<std::string> command{"BLPOP"};
  for (const auto& queue : queues) command.push_back(prefix_ + ":notify:" + queue);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", static_cast<double>(timeout.count()) / 1000.0);
  command.emplace_back(seconds);
  auto lease = pool_.lease();
  lease->command(command, timeout);
}

bool RedisTaskBackend::renew(const ClaimedTask& task) {
  auto lease = pool_.lease();
  auto reply = script(*lease, kRenew,
                      {prefix_, task.message.id, task.claim, std::to_string(settings_.visibility_timeout.count())});
  return reply.integer == 1;
}

bool RedisTaskBackend::finish(const ClaimedTask& task) {
  // The task as a fresh enqueue, used when an enqueue during the run asked
  // for another run. Its chain was sent after this run.
  TaskMessage rerun = task.message;
  rerun.attempt = 1;
  rerun.deliveries = 0;
  rerun.chain.clear();
  rerun.enqueued_ms = settings_.clock_ms();
  rerun.eta_ms = rerun.enqueued_ms;
  auto lease = pool_.lease();
  auto reply = script(*lease, kFinish,
                      {prefix_, task.message.id, task.claim, task.message.once_key, to_json(rerun), rerun.queue,
                       std::to_string(rerun.priority)});
  return reply.integer == 1;
}

bool RedisTaskBackend::requeue(const ClaimedTask& task, const TaskMessage& updated) {
  auto lease = pool_.lease();
  auto reply =
      script(*lease, kRequeue,
             {prefix_, task.message.id, task.claim, to_json(updated), std::to_string(delay_until(updated.eta_ms))});
  return reply.integer == 1;
}

void RedisTaskBackend::maintain() {
  auto lease = pool_.lease();
  script(*lease, kMaintain, {prefix_});
}

bool RedisTaskBackend::claim_tick(const std::string& entry, long long tick_unix_seconds) {
  auto lease = pool_.lease();
  auto reply = lease->command(
      {"SET", prefix_ + ":tick:" + entry + ":" + std::to_string(tick_unix_seconds), "1", "NX", "EX", "86400"});
  expect_ok(reply, "SET of a schedule tick");
  return !reply.is_nil();
}

QueueLength RedisTaskBackend::queue_length() {
  auto lease = pool_.lease();
  QueueLength length;
  auto queues = lease->command({"SMEMBERS", prefix_ + ":queues"});
  expect_ok(queues, "SMEMBERS");
  for (const auto& queue : queues.elements) {
    length.waiting += lease->command({"ZCARD", prefix_ + ":queue:" + queue.text}).integer;
  }
  length.delayed = lease->command({"ZCARD", prefix_ + ":delayed"}).integer;
  length.running = lease->command({"ZCARD", prefix_ + ":running"}).integer;
  return length;
}

void RedisTaskBackend::record(const std::string& task, TaskOutcome outcome) {
  auto key = prefix_ + ":stats:" + std::to_string(unix_now() / 60);
  auto lease = pool_.lease();
  expect_ok(lease->command({"HINCRBY", key, std::string(outcome_name(outcome)) + "|" + task, "1"}), "HINCRBY");
  auto keep = std::chrono::seconds(settings_.statistics_hours).count() + 3600;
  lease->command({"EXPIRE", key, std::to_string(keep)});
}

std::vector<TaskCounts> RedisTaskBackend::statistics(long long since_unix_seconds) {
  std::map<std::string, TaskCounts> by_task;
  auto lease = pool_.lease();
  auto reply = script(*lease, kStatistics,
                      {prefix_, std::to_string(since_unix_seconds / 60), std::to_string(unix_now() / 60)});
  for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const auto& field = reply.elements[i].text;
    auto bar = field.find('|');
    if (bar == std::string::npos) continue;
    auto outcome = field.substr(0, bar);
    auto task = field.substr(bar + 1);
    long long runs = reply.elements[i + 1].integer;
    auto& counts = by_task[task];
    counts.task = task;
    if (outcome == "succeeded") counts.succeeded += runs;
    if (outcome == "retried") counts.retried += runs;
    if (outcome == "failed") counts.failed += runs;
  }
  std::vector<TaskCounts> counts;
  for (auto& [task, value] : by_task) counts.push_back(std::move(value));
  return counts;
}

void RedisTaskBackend::clear() {
  auto lease = pool_.lease();
  std::string cursor = "0";
  do {
    auto reply = lease->command({"SCAN", cursor, "MATCH", prefix_ + ":*", "COUNT", "1000"});
    expect_ok(reply, "SCAN");
    cursor = reply.elements.at(0).text;
    for (const auto& key : reply.elements.at(1).elements) lease->command({"DEL", key.text});
  } while (cursor != "0");
}

}  // namespace aa::core
