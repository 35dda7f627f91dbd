#include "tasks/message.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "auth/crypto.hpp"

namespace aa::core {
namespace {

namespace json = boost::json;

const json::value& field(const json::object& object, std::string_view name) {
  auto it = object.find(name);
  if (it == object.end()) throw std::invalid_argument("task message has no field '" + std::string(name) + "'");
  return it->value();
}

std::string string_field(const json::object& object, std::string_view name) {
  const auto& value = field(object, name);
  if (!value.is_string()) throw std::invalid_argument("task message field '" + std::string(name) + "' is not text");
  return std::string(value.as_string());
}

long long int_field(const json::object& object, std::string_view name) {
  const auto& value = field(object, name);
  if (!value.is_int64() && !value.is_uint64()) {
    throw std::invalid_argument("task message field '" + std::string(name) + "' is not an integer");
  }
  return value.to_number<long long>();
}

void write_canonical(const json::value& value, std::string& out) {
  if (!value.is_object()) {
    if (!value.is_array()) {
      out += json::serialize(value);
      return;
    }
    out += '[';
    bool first = true;
    for (const auto& item : value.as_array()) {
      if (!first) out += ',';
      first = false;
      write_canonical(item, out);
    }
    out += ']';
    return;
  }
  const auto& object = value.as_object();
  std::vector<const json::key_value_pair*> members;
  for (const auto& member : object) members.push_back(&member);
  std::sort(members.begin(), members.end(), [](const auto* a, const auto* b) { return a->key() < b->key(); });
  out += '{';
  bool first = true;
  for (const auto* member : members) {
    if (!first) out += ',';
    first = false;
    out += json::serialize(json::value(member->key()));
    out += ':';
    write_canonical(member->value(), out);
  }
  out += '}';
}

}  // namespace

std::string to_json(const TaskMessage& message) {
  json::object object{
      {"id", message.id},
      {"name", message.name},
      {"args", message.args},
      {"priority", message.priority},
      {"queue", message.queue},
      {"attempt", message.attempt},
      {"deliveries", message.deliveries},
      {"max_retries", message.max_retries},
      {"retry_pause_seconds", message.retry_pause_seconds},
      {"once_key", message.once_key},
      {"eta_ms", message.eta_ms},
      {"enqueued_ms", message.enqueued_ms},
      {"chain", message.chain},
  };
  return json::serialize(object);
}

TaskMessage message_from_json(const std::string& text) {
  json::value parsed;
  try {
    parsed = json::parse(text);
  } catch (const std::exception& error) {
    throw std::invalid_argument(std::string("task message is not valid JSON: ") + error.what());
  }
  if (!parsed.is_object()) throw std::invalid_argument("task message is not a JSON object");
  const auto& object = parsed.as_object();
  TaskMessage message;
  message.id = string_field(object, "id");
  message.name = string_field(object, "name");
  message.args = string_field(object, "args");
  message.priority = static_cast<int>(int_field(object, "priority"));
  message.queue = string_field(object, "queue");
  message.attempt = static_cast<int>(int_field(object, "attempt"));
  message.deliveries = static_cast<int>(int_field(object, "deliveries"));
  message.max_retries = static_cast<int>(int_field(object, "max_retries"));
  message.retry_pause_seconds = int_field(object, "retry_pause_seconds");
  message.once_key = string_field(object, "once_key");
  message.eta_ms = int_field(object, "eta_ms");
  message.enqueued_ms = int_field(object, "enqueued_ms");
  message.chain = string_field(object, "chain");
  return message;
}

std::string canonical_json(const boost::json::value& value) {
  std::string out;
  write_canonical(value, out);
  return out;
}

std::string once_key(const std::string& name, const boost::json::value& args) {
  return sha256_hex(name + "\n" + canonical_json(args));
}

std::string chain_to_json(const std::vector<TaskCall>& calls) {
  json::array array;
  for (const auto& call : calls) {
    array.push_back(json::object{{"name", call.name},
                                 {"args", call.args},
                                 {"priority", call.priority},
                                 {"queue", call.queue},
                                 {"countdown", call.countdown.count()}});
  }
  return json::serialize(array);
}

std::vector<TaskCall> chain_from_json(const std::string& text) {
  std::vector<TaskCall> calls;
  if (text.empty()) return calls;
  auto parsed = json::parse(text);
  if (!parsed.is_array()) throw std::invalid_argument("task chain is not a JSON array");
  for (const auto& item : parsed.as_array()) {
    if (!item.is_object()) throw std::invalid_argument("task chain item is not a JSON object");
    const auto& object = item.as_object();
    TaskCall call;
    call.name = string_field(object, "name");
    call.args = field(object, "args");
    call.priority = static_cast<int>(int_field(object, "priority"));
    call.queue = string_field(object, "queue");
    call.countdown = std::chrono::seconds(int_field(object, "countdown"));
    calls.push_back(std::move(call));
  }
  return calls;
}

std::string shorten(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "... (" + std::to_string(text.size()) + " bytes)";
}

long long unix_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace aa::core
