#include "admin/admin_checks.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>

namespace aa::core {
namespace {

bool is_identifier(const std::string& text) {
  static const std::regex kIdentifier("[a-z][a-z0-9_]*");
  return std::regex_match(text, kIdentifier);
}

// Throws when a name is empty, repeated or (for `identifiers`) not an identifier.
void check_names(const std::string& model, const std::string& what, const std::vector<std::string>& names,
                 bool identifiers) {
  std::set<std::string> seen;
  for (const auto& name : names) {
    if (name.empty() || (identifiers && !is_identifier(name))) {
      throw std::invalid_argument("admin model " + model + " has a " + what + " named '" + name +
                                  "'; use lower case letters, digits and _");
    }
    if (!seen.insert(name).second) {
      throw std::invalid_argument("admin model " + model + " has two " + what + "s named '" + name + "'");
    }
  }
}

}  // namespace

void check_admin_action(const AdminAction& action) {
  if (!is_identifier(action.name)) {
    throw std::invalid_argument("admin action '" + action.name + "' must be named in lower case letters, digits and _");
  }
  if (action.label.empty()) throw std::invalid_argument("admin action " + action.name + " has no label");
  if (!action.run) throw std::invalid_argument("admin action " + action.name + " has no run function");
}

void check_admin_hook(const AdminHook& hook) {
  std::string model = hook.app_label + "." + hook.model_name;
  if (!is_identifier(hook.app_label) || !is_identifier(hook.model_name)) {
    throw std::invalid_argument("admin model '" + model +
                                "' must be app_label.model_name in lower case letters, digits and _");
  }
  if (!hook.list || !hook.load) throw std::invalid_argument("admin model " + model + " needs list and load functions");
  if (hook.verbose_name.empty() || hook.verbose_name_plural.empty()) {
    throw std::invalid_argument("admin model " + model + " needs verbose_name and verbose_name_plural");
  }
  if (hook.page_size < 1 || hook.page_size > 1000) {
    throw std::invalid_argument("admin model " + model + " has page size " + std::to_string(hook.page_size) +
                                "; it must be 1 to 1000");
  }

  std::vector<std::string> names;
  for (const auto& column : hook.columns) names.push_back(column.key);
  check_names(model, "column", names, true);
  if (hook.columns.empty()) throw std::invalid_argument("admin model " + model + " has no list columns");
  std::string order = hook.default_order.starts_with("-") ? hook.default_order.substr(1) : hook.default_order;
  if (!order.empty() && std::find(names.begin(), names.end(), order) == names.end()) {
    throw std::invalid_argument("admin model " + model + " orders by '" + order + "', which is not a column");
  }

  names.clear();
  for (const auto& filter : hook.filters) names.push_back(filter.key);
  check_names(model, "filter", names, true);

  names.clear();
  for (const auto& field : hook.fields) names.push_back(field.name);
  check_names(model, "field", names, true);

  names.clear();
  for (const auto& action : hook.actions) {
    check_admin_action(action);
    names.push_back(action.name);
  }
  check_names(model, "action", names, true);
}

}  // namespace aa::core
