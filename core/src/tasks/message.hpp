// A task as it is stored in a queue: the call, its options, and how often it
// has run. Both backends store this, the Redis one as JSON.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/value.hpp>

#include "aa/tasks.hpp"

namespace aa::core {

struct TaskMessage {
  std::string id;  ///< Given by the backend when it stores the task.
  std::string name;
  std::string args = "null";  ///< JSON text.
  int priority = kTaskPriorityDefault;
  std::string queue = "default";
  /// 1 for the first run; one more after each retry.
  int attempt = 1;
  /// Times a worker claimed it since it was enqueued or last retried. More
  /// than one means a worker stopped while running it.
  int deliveries = 0;
  int max_retries = 0;
  long long retry_pause_seconds = 60;
  /// SHA-256 of the name and canonical arguments, for only-once tasks; empty otherwise.
  std::string once_key;
  /// Earliest start, Unix milliseconds.
  long long eta_ms = 0;
  long long enqueued_ms = 0;
  /// JSON array of the calls to enqueue one after another once this one
  /// succeeds; empty when there is no chain.
  std::string chain;
};

/// The message as one JSON object, and back. from_json throws
/// std::invalid_argument naming the missing or mistyped field.
std::string to_json(const TaskMessage& message);
TaskMessage message_from_json(const std::string& text);

/// `value` serialized with object keys sorted at every level, so equal
/// arguments give equal text whatever order their keys were written in.
std::string canonical_json(const boost::json::value& value);
/// The only-once key of a call: SHA-256 hex of the name and canonical arguments.
std::string once_key(const std::string& name, const boost::json::value& args);

/// The calls of a chain as stored in TaskMessage::chain, and back.
std::string chain_to_json(const std::vector<TaskCall>& calls);
std::vector<TaskCall> chain_from_json(const std::string& text);

/// Unix time now in milliseconds.
long long unix_now_ms();

/// `text` for a message or a log line: cut after `limit` bytes (at a UTF-8
/// character boundary) with the full length noted, so huge task arguments
/// do not flood the console or the log.
std::string shorten(const std::string& text, std::size_t limit = 200);

}  // namespace aa::core
