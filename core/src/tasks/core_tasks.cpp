#include "tasks/core_tasks.hpp"

#include <boost/json.hpp>

namespace aa::core {

std::string require_integer_fields(const boost::json::value& args, std::initializer_list<const char*> keys) {
  std::string expected = "expected a JSON object with";
  for (const char* key : keys) expected += std::string(" \"") + key + "\": <integer>";
  if (!args.is_object()) return expected;
  for (const char* key : keys) {
    auto it = args.as_object().find(key);
    if (it == args.as_object().end()) return std::string("missing \"") + key + "\"; " + expected;
    if (!it->value().is_int64() && !it->value().is_uint64()) {
      return std::string("\"") + key + "\" must be an integer, not " + boost::json::serialize(it->value());
    }
  }
  return {};
}

std::string require_no_arguments(const boost::json::value& args) {
  if (args.is_null()) return {};
  if (args.is_object() && args.as_object().empty()) return {};
  if (args.is_array() && args.as_array().empty()) return {};
  return "this task takes no arguments";
}

long long integer_field(const boost::json::value& args, const char* key) {
  return args.as_object().at(key).to_number<long long>();
}

void register_core_tasks(aa::Registry& registry, App& app) {
  register_model_update_tasks(registry, app);
  register_ownership_tasks(registry, app);
  register_state_tasks(registry, app);
  register_registration_tasks(registry, app);
}

}  // namespace aa::core
