// One connection to Redis over hiredis 0.14: binary-safe commands as
// argument vectors, replies copied into plain values, and a reconnect on
// the next command after any connection error. Not thread-safe; use one
// per thread, or RedisPool.
#pragma once

#include <hiredis.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace aa::core {

struct RedisOptions {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_socket;  ///< Used instead of host and port when set.
  std::string password;
  int database = 0;
  /// Limit for connecting and for each reply, except blocking commands,
  /// which get their own timeout added.
  std::chrono::milliseconds timeout{5000};
};

/// Redis could not be reached, or the connection broke mid-command.
class RedisUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A reply, copied out of hiredis.
struct RedisReply {
  enum class Type { nil, status, error, integer, string, array };
  Type type = Type::nil;
  long long integer = 0;
  std::string text;  ///< String, status or error text.
  std::vector<RedisReply> elements;

  bool is_nil() const { return type == Type::nil; }
};

class RedisConnection {
 public:
  explicit RedisConnection(RedisOptions options);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  /// Sends one command and returns its reply. A Redis error reply is
  /// returned, not thrown. Throws RedisUnavailable when Redis cannot be
  /// reached; the next call connects again. `extra_timeout` lengthens the
  /// reply timeout for blocking commands such as BLPOP.
  RedisReply command(const std::vector<std::string>& args,
                     std::chrono::milliseconds extra_timeout = std::chrono::milliseconds(0));
  /// "host:port" or the socket path, for messages.
  std::string where() const;

 private:
  void connect();
  void disconnect();

  RedisOptions options_;
  redisContext* context_ = nullptr;
};

/// Connections shared by threads: lease() hands one out and takes it back
/// when the lease ends.
class RedisPool {
 public:
  explicit RedisPool(RedisOptions options) : options_(std::move(options)) {}

  class Lease {
   public:
    Lease(RedisPool& pool, std::unique_ptr<RedisConnection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    ~Lease() { pool_.give_back(std::move(connection_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    RedisConnection* operator->() { return connection_.get(); }
    RedisConnection& operator*() { return *connection_; }

   private:
    RedisPool& pool_;
    std::unique_ptr<RedisConnection> connection_;
  };

  Lease lease();
  const RedisOptions& options() const { return options_; }

 private:
  void give_back(std::unique_ptr<RedisConnection> connection);

  RedisOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<RedisConnection>> idle_;
};

}  // namespace aa::core
