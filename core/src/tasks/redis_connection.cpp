#include "tasks/redis_connection.hpp"

namespace aa::core {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval value{};
  value.tv_sec = static_cast<time_t>(duration.count() / 1000);
  value.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return value;
}

RedisReply copy_reply(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_NIL: out.type = RedisReply::Type::nil; break;
    case REDIS_REPLY_STATUS: out.type = RedisReply::Type::status; break;
    case REDIS_REPLY_ERROR: out.type = RedisReply::Type::error; break;
    case REDIS_REPLY_INTEGER: out.type = RedisReply::Type::integer; break;
    case REDIS_REPLY_STRING: out.type = RedisReply::Type::string; break;
    case REDIS_REPLY_ARRAY: out.type = RedisReply::Type::array; break;
    default: out.type = RedisReply::Type::nil; break;
  }
  out.integer = reply->integer;
  if (reply->str) out.text.assign(reply->str, reply->len);
  for (std::size_t i = 0; i < reply->elements; ++i) out.elements.push_back(copy_reply(reply->element[i]));
  return out;
}

}  // namespace

RedisConnection::RedisConnection(RedisOptions options) : options_(std::move(options)) {}

RedisConnection::~RedisConnection() { disconnect(); }

std::string RedisConnection::where() const {
  if (!options_.unix_socket.empty()) return options_.unix_socket;
  return options_.host + ":" + std::to_string(options_.port);
}

void RedisConnection::disconnect() {
  if (context_) redisFree(context_);
  context_ = nullptr;
}

void RedisConnection::connect() {
  auto timeout = to_timeval(options_.timeout);
  context_ = options_.unix_socket.empty()
                 ? redisConnectWithTimeout(options_.host.c_str(), options_.port, timeout)
                 : redisConnectUnixWithTimeout(options_.unix_socket.c_str(), timeout);
  if (!context_ || context_->err) {
    std::string reason = context_ ? context_->errstr : "out of memory";
    disconnect();
    throw RedisUnavailable("cannot connect to Redis at " + where() + ": " + reason);
  }
  redisSetTimeout(context_, timeout);

  // AUTH and SELECT go through command(), which needs context_ set.
  if (!options_.password.empty()) {
    auto reply = command({"AUTH", options_.password});
    if (reply.type == RedisReply::Type::error) {
      disconnect();
      throw RedisUnavailable("Redis at " + where() + " rejected the password: " + reply.text);
    }
  }
  if (options_.database != 0) {
    auto reply = command({"SELECT", std::to_string(options_.database)});
    if (reply.type == RedisReply::Type::error) {
      disconnect();
      throw RedisUnavailable("Redis at " + where() + " rejected database " + std::to_string(options_.database) + ": " +
                             reply.text);
    }
  }
}

RedisReply RedisConnection::command(const std::vector<std::string>& args, std::chrono::milliseconds extra_timeout) {
  if (!context_) connect();
  if (extra_timeout.count() > 0) redisSetTimeout(context_, to_timeval(options_.timeout + extra_timeout));

  // redisCommandArgv takes explicit lengths, so arguments are binary-safe.
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
    throw RedisUnavailable("Redis at " + where() + " failed during " + args.front() + ": " + reason);
  }
  auto copy = copy_reply(reply);
  freeReplyObject(reply);
  if (extra_timeout.count() > 0) redisSetTimeout(context_, to_timeval(options_.timeout));
  return copy;
}

RedisPool::Lease RedisPool::lease() {
  std::unique_ptr<RedisConnection> connection;
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!connection) connection = std::make_unique<RedisConnection>(options_);
  return Lease(*this, std::move(connection));
}

void RedisPool::give_back(std::unique_ptr<RedisConnection> connection) {
  if (!connection) return;
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(connection));
}

}  // namespace aa::core
