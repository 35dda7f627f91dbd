#include "admin/admin_form.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "auth/crypto.hpp"
#include "web/i18n.hpp"
#include "web/text.hpp"

namespace aa::core {
namespace {

// Django's CheckboxInput: absent, "", "0", "false" and "off" are false.
bool checkbox_value(const std::optional<std::string>& value) {
  if (!value) return false;
  return !(value->empty() || *value == "0" || *value == "false" || *value == "off");
}

bool is_local_part_character(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~.-").find(static_cast<char>(c)) != std::string_view::npos;
}

// An address of the form local@domain.tld in ASCII, as most mail servers
// accept it; quoted local parts and IP literals are not accepted.
bool is_email(const std::string& text) {
  auto at = text.rfind('@');
  if (at == std::string::npos || at == 0 || at > 64 || at + 1 >= text.size()) return false;
  auto local = std::string_view(text).substr(0, at);
  auto domain = std::string_view(text).substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  if (!std::all_of(local.begin(), local.end(), [](char c) { return is_local_part_character(static_cast<unsigned char>(c)); })) {
    return false;
  }
  std::size_t labels = 0;
  std::string_view last_label;
  for (std::size_t start = 0; start <= domain.size();) {
    auto dot = domain.find('.', start);
    auto label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    ++labels;
    last_label = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels >= 2 && last_label.size() >= 2 &&
         std::all_of(last_label.begin(), last_label.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
}

bool is_choice(const std::vector<AdminChoice>& choices, const std::string& value) {
  return std::any_of(choices.begin(), choices.end(), [&](const AdminChoice& choice) { return choice.value == value; });
}

std::vector<std::string> sorted(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

// The value a field has when the user sends nothing for it.
std::vector<std::string> current_value(const AdminField& field, const AdminObject* before) {
  if (before) return before->values.list(field.name);
  if (field.type == AdminFieldType::multi_choice) return {};
  if (field.type == AdminFieldType::boolean) return {field.initial == "1" ? "1" : "0"};
  return {field.initial};
}

// True when a submitted value for a field the user may not edit differs
// from the field's current value. A read-only checkbox is not submitted by
// browsers, so only a checked one can change it.
bool changes_locked_field(const AdminField& field, const std::vector<std::string>& current, Request& request) {
  switch (field.type) {
    case AdminFieldType::boolean: {
      auto sent = request.form(field.name);
      if (!sent) return false;
      bool was = !current.empty() && current.front() == "1";
      return checkbox_value(sent) != was;
    }
    case AdminFieldType::multi_choice: {
      auto sent = request.form_all(field.name);
      if (sent.empty()) return false;
      return sorted(sent) != sorted(current);
    }
    default: {
      auto sent = request.form(field.name);
      if (!sent) return false;
      std::string was = current.empty() ? std::string() : current.front();
      return text::trim(*sent) != text::trim(was);
    }
  }
}

std::optional<std::string> text_problem(Request& request, const AdminField& field, const std::string& value) {
  auto length = text::utf8_length(value);
  if (!length) return request.translate("This value is not valid UTF-8 text; enter it again.");
  if (text::has_control_characters(value, field.type == AdminFieldType::textarea)) {
    return request.translate("Remove the control characters from this value.");
  }
  if (field.required && value.empty()) return request.translate("This field is required.");
  if (*length > field.max_length) {
    return text::fill(request.translate("Ensure this value has at most {max} characters (it has {length})."),
                {{"max", std::to_string(field.max_length)}, {"length", std::to_string(*length)}});
  }
  if (field.type == AdminFieldType::email && !value.empty() && !is_email(value)) {
    return text::fill(request.translate("Enter a valid email address; \xE2\x80\x9C{value}\xE2\x80\x9D is not one."),
                {{"value", text::shorten(value)}});
  }
  return std::nullopt;
}

std::optional<std::string> integer_problem(Request& request, const AdminField& field, const std::string& value) {
  if (value.empty()) {
    return field.required ? std::optional(request.translate("This field is required.")) : std::nullopt;
  }
  long long number = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (error != std::errc() || end != value.data() + value.size()) {
    return text::fill(request.translate("Enter a whole number; \xE2\x80\x9C{value}\xE2\x80\x9D is not one."),
                {{"value", text::shorten(value)}});
  }
  if (number < field.min_value || number > field.max_value) {
    return text::fill(request.translate("Enter a number from {min} to {max}; {value} is outside that range."),
                {{"min", std::to_string(field.min_value)},
                 {"max", std::to_string(field.max_value)},
                 {"value", value}});
  }
  return std::nullopt;
}

std::string invalid_choice(Request& request, const std::string& value) {
  return text::fill(request.translate("Select a valid choice; \xE2\x80\x9C{value}\xE2\x80\x9D is not one of the available "
                                "choices."),
              {{"value", text::shorten(value)}});
}

// Reads one editable field into `input`.
void read_field(Request& request, const AdminField& field, const ChoiceCache& choices, FormInput& input) {
  auto fail = [&](std::string message) { input.errors.emplace(field.name, std::move(message)); };

  switch (field.type) {
    case AdminFieldType::readonly: return;
    case AdminFieldType::boolean: input.values.set_flag(field.name, checkbox_value(request.form(field.name))); return;
    case AdminFieldType::multi_choice: {
      std::vector<std::string> values;
      for (const auto& value : request.form_all(field.name)) {
        if (value.empty()) continue;
        if (!is_choice(choices.of(field.name), value)) return fail(invalid_choice(request, value));
        values.push_back(value);
      }
      values = sorted(std::move(values));
      if (field.required && values.empty()) return fail(request.translate("This field is required."));
      input.values.set_list(field.name, std::move(values));
      return;
    }
    default: break;
  }

  std::string value = request.form(field.name).value_or("");
  if (field.type == AdminFieldType::textarea) {
    for (auto at = value.find("\r\n"); at != std::string::npos; at = value.find("\r\n", at)) value.erase(at, 1);
  } else {
    value = std::string(text::trim(value));
  }
  input.values.set(field.name, value);

  std::optional<std::string> problem;
  if (field.type == AdminFieldType::integer) {
    problem = integer_problem(request, field, value);
  } else if (field.type == AdminFieldType::choice) {
    if (value.empty()) {
      if (field.required) problem = request.translate("This field is required.");
    } else if (!is_choice(choices.of(field.name), value)) {
      problem = invalid_choice(request, value);
    }
  } else {
    problem = text_problem(request, field, value);
  }
  if (problem) fail(std::move(*problem));
}

}  // namespace

ChoiceCache::ChoiceCache(Request& request, const ModelAdmin& model) {
  for (const auto& field : model.hook.fields) {
    if (field.type != AdminFieldType::choice && field.type != AdminFieldType::multi_choice) continue;
    std::vector<AdminChoice> list;
    if (field.load_choices) {
      list = field.load_choices(request);
    } else {
      for (const auto& choice : field.choices) list.push_back({choice.value, request.translate(choice.label)});
    }
    choices_.emplace(field.name, std::move(list));
  }
}

const std::vector<AdminChoice>& ChoiceCache::of(const std::string& field) const {
  static const std::vector<AdminChoice> kNone;
  auto it = choices_.find(field);
  return it == choices_.end() ? kNone : it->second;
}

std::string ChoiceCache::label(const std::string& field, const std::string& value) const {
  for (const auto& choice : of(field)) {
    if (choice.value == value) return choice.label;
  }
  return value;
}

std::vector<AdminChoice> filter_choices(Request& request, const AdminFilter& filter) {
  if (filter.load_choices) return filter.load_choices(request);
  std::vector<AdminChoice> list;
  for (const auto& choice : filter.choices) list.push_back({choice.value, request.translate(choice.label)});
  return list;
}

bool field_editable(Request& request, const AdminField& field, const AdminObject* before) {
  if (field.type == AdminFieldType::readonly) return false;
  if (field.superuser_only && !(request.user() && request.user()->is_superuser)) return false;
  if (before && std::find(before->readonly_fields.begin(), before->readonly_fields.end(), field.name) !=
                    before->readonly_fields.end()) {
    return false;
  }
  return true;
}

FormInput read_form(Request& request, const ModelAdmin& model, const AdminObject* before, const ChoiceCache& choices) {
  FormInput input;
  for (const auto& field : model.hook.fields) {
    if (field_editable(request, field, before)) {
      read_field(request, field, choices, input);
      continue;
    }
    auto current = current_value(field, before);
    if (field.type != AdminFieldType::readonly && changes_locked_field(field, current, request)) {
      input.forbidden_field = field.name;
    }
    input.values.set_list(field.name, std::move(current));
  }
  return input;
}

AdminValues initial_values(const ModelAdmin& model) {
  AdminValues values;
  for (const auto& field : model.hook.fields) values.set_list(field.name, current_value(field, nullptr));
  return values;
}

std::string values_version(const AdminValues& values) {
  // Lengths before each part keep "a","bc" and "ab","c" apart.
  std::string text;
  for (const auto& [name, list] : values.fields()) {
    text += std::to_string(name.size()) + ":" + name + "=" + std::to_string(list.size());
    for (const auto& value : sorted(list)) text += "," + std::to_string(value.size()) + ":" + value;
    text += ";";
  }
  return sha256_hex(text).substr(0, 32);
}

std::vector<FieldChange> diff_values(const ModelAdmin& model, const AdminValues* before, const AdminValues& after,
                                     const ChoiceCache& choices) {
  std::vector<FieldChange> changes;
  for (const auto& field : model.hook.fields) {
    if (field.type == AdminFieldType::readonly) continue;
    auto old_values = before ? sorted(before->list(field.name)) : std::vector<std::string>();
    auto new_values = sorted(after.list(field.name));
    if (field.type != AdminFieldType::multi_choice) {
      old_values = before ? before->list(field.name) : std::vector<std::string>();
      new_values = after.list(field.name);
    }
    if (old_values == new_values) continue;
    if (!before && (new_values.empty() || (new_values.size() == 1 && new_values.front().empty()))) continue;
    if (!before && field.type == AdminFieldType::boolean && after.get(field.name) == "0") continue;

    FieldChange change;
    change.field = field.name;
    change.label = field.label;
    change.is_boolean = field.type == AdminFieldType::boolean;
    change.is_list = field.type == AdminFieldType::multi_choice;
    auto labels = [&](const std::vector<std::string>& values) {
      std::vector<std::string> out;
      for (const auto& value : values) out.push_back(choices.label(field.name, value));
      return out;
    };
    if (change.is_list) {
      // Lists record what was added and removed, not both whole lists.
      std::vector<std::string> removed;
      std::vector<std::string> added;
      std::set_difference(old_values.begin(), old_values.end(), new_values.begin(), new_values.end(),
                          std::back_inserter(removed));
      std::set_difference(new_values.begin(), new_values.end(), old_values.begin(), old_values.end(),
                          std::back_inserter(added));
      change.before = labels(removed);
      change.after = labels(added);
    } else {
      change.before = labels(old_values);
      change.after = labels(new_values);
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace aa::core
