// The generic add and change form: which fields a user may edit, reading
// and checking the submitted values, and the diff the history records.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "admin/admin_history.hpp"
#include "admin/admin_site.hpp"

namespace aa::core {

/// The choices of every choice field and filter of one model, read once
/// per request (load_choices may query the database).
class ChoiceCache {
 public:
  ChoiceCache(Request& request, const ModelAdmin& model);
  /// The field's choices; labels already translated or as loaded.
  const std::vector<AdminChoice>& of(const std::string& field) const;
  /// The label of `value`, or `value` itself when it is no choice.
  std::string label(const std::string& field, const std::string& value) const;

 private:
  std::map<std::string, std::vector<AdminChoice>> choices_;
};

/// The choices of a list filter, translated.
std::vector<AdminChoice> filter_choices(Request& request, const AdminFilter& filter);

/// True when the request's user may change `field` on this form: not a
/// read-only field (by type or for this object), and superuser-only fields
/// only for superusers.
bool field_editable(Request& request, const AdminField& field, const AdminObject* before);

/// The form after reading a POST.
struct FormInput {
  /// Every field's value: submitted for editable fields, the current (or
  /// initial) value for the others.
  AdminValues values;
  /// Per-field problems, translated; "" is the form as a whole.
  std::map<std::string, std::string> errors;
  /// The name of a field the user may not change but tried to; the request
  /// is then answered 403 and nothing is saved.
  std::string forbidden_field;
};

/// Reads and checks the submitted fields of `model` against `before` (null
/// on the add form).
FormInput read_form(Request& request, const ModelAdmin& model, const AdminObject* before, const ChoiceCache& choices);

/// The values the add form starts with.
AdminValues initial_values(const ModelAdmin& model);

/// A fingerprint of an object's values; the change form sends it back so a
/// save can tell that someone else changed the object in the meantime.
std::string values_version(const AdminValues& values);

/// The fields whose values differ between `before` and `after`, as the
/// history shows them (choice labels, cut lists). With `before` null every
/// non-empty field is listed, as for a new object.
std::vector<FieldChange> diff_values(const ModelAdmin& model, const AdminValues* before, const AdminValues& after,
                                     const ChoiceCache& choices);

}  // namespace aa::core
