#include "groups/group_names.hpp"

#include <stdexcept>

#include "auth/accounts.hpp"
#include "db/database.hpp"
#include "web/i18n.hpp"

namespace aa::core::groups {
namespace {

std::string shown_value(std::string_view value) { return text::shorten(value, 60); }

// The problem with a required single-line text field, or nothing.
std::optional<std::string> line_problem(std::string_view value, std::size_t max_length, const char* empty_msgid,
                                        const char* too_long_msgid, const text::Translate& translate) {
  if (value.empty()) return translate(empty_msgid);
  auto length = text::utf8_length(value);
  if (!length) return translate(gettext_noop("The text is not valid UTF-8; type it again."));
  if (*length > max_length) {
    return text::fill(translate(too_long_msgid), {{"value", shown_value(value)}, {"max", std::to_string(max_length)}});
  }
  if (text::has_control_characters(value)) {
    return text::fill(translate(gettext_noop("\"{value}\" contains line breaks or control characters; remove them.")),
                      {{"value", shown_value(value)}});
  }
  return std::nullopt;
}

ReservedName read_reserved(const soci::row& row) {
  return {row_int(row, 0), row_string(row, 1), row_string(row, 2), row_string(row, 3), row_int(row, 4)};
}

bool group_has_folded_name(soci::session& sql, const std::string& key) {
  // Group names are few, so they are folded here rather than by the
  // database, whose LOWER() differs between SQLite (ASCII only) and MariaDB.
  soci::rowset<std::string> names = sql.prepare << "SELECT name FROM auth_groups";
  for (const auto& name : names) {
    if (text::utf8_length(name) && fold_name(name) == key) return true;
  }
  return false;
}

}  // namespace

std::string fold_name(std::string_view name) { return aa::text::fold_case(name); }

std::optional<std::string> group_name_problem(std::string_view name, const text::Translate& translate) {
  if (auto problem = line_problem(name, kMaxGroupNameLength, gettext_noop("Enter a group name."),
                                  gettext_noop("The group name \"{value}\" is longer than {max} characters."),
                                  translate)) {
    return problem;
  }
  if (text::trim(name).size() != name.size()) {
    return text::fill(translate(gettext_noop("The group name \"{value}\" starts or ends with a space; remove it.")),
                      {{"value", shown_value(name)}});
  }
  return std::nullopt;
}

std::vector<ReservedName> list_reserved_names(soci::session& sql) {
  std::vector<ReservedName> names;
  soci::rowset<soci::row> rows =
      sql.prepare << "SELECT id, name, reason, created_by, created_at FROM groupmanagement_reserved_names ORDER BY name";
  for (const auto& row : rows) names.push_back(read_reserved(row));
  return names;
}

std::optional<ReservedName> load_reserved_name(soci::session& sql, long long id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT id, name, reason, created_by, created_at FROM groupmanagement_reserved_names "
                      "WHERE id = :id",
       soci::use(id));
  for (const auto& row : rows) return read_reserved(row);
  return std::nullopt;
}

bool is_reserved_name(soci::session& sql, std::string_view name) {
  if (!text::utf8_length(name)) return false;
  auto key = fold_name(name);
  int count = 0;
  sql << "SELECT COUNT(*) FROM groupmanagement_reserved_names WHERE name_key = :key", soci::use(key), soci::into(count);
  return count > 0;
}

FieldErrors save_reserved_name(soci::session& sql, ReservedName& reserved, const text::Translate& translate) {
  FieldErrors errors;
  if (reserved.id != 0 && !load_reserved_name(sql, reserved.id)) {
    throw std::invalid_argument("no reserved group name with id " + std::to_string(reserved.id));
  }

  if (auto problem = group_name_problem(reserved.name, translate)) {
    errors["name"] = *problem;
  } else {
    auto key = fold_name(reserved.name);
    long long other = 0;
    sql << "SELECT id FROM groupmanagement_reserved_names WHERE name_key = :key AND id <> :id", soci::use(key),
        soci::use(reserved.id), soci::into(other);
    if (sql.got_data()) {
      errors["name"] = text::fill(translate(gettext_noop("\"{value}\" is already reserved.")),
                                  {{"value", shown_value(reserved.name)}});
    } else if (group_has_folded_name(sql, key)) {
      errors["name"] = text::fill(
          translate(gettext_noop("A group named \"{value}\" already exists; rename or delete that group first.")),
          {{"value", shown_value(reserved.name)}});
    }
  }
  if (auto problem = line_problem(reserved.reason, kMaxReservedReasonLength, gettext_noop("Enter a reason."),
                                  gettext_noop("The reason \"{value}\" is longer than {max} characters."),
                                  translate)) {
    errors["reason"] = *problem;
  }
  if (auto problem = line_problem(reserved.created_by, kMaxCreatedByLength, gettext_noop("Enter who reserved the name."),
                                  gettext_noop("\"{value}\" is longer than {max} characters."), translate)) {
    errors["created_by"] = *problem;
  }
  if (!errors.empty()) return errors;

  auto key = fold_name(reserved.name);
  if (reserved.id == 0) {
    reserved.created_at = unix_now();
    sql << "INSERT INTO groupmanagement_reserved_names (name, name_key, reason, created_by, created_at) "
           "VALUES (:name, :key, :reason, :by, :at)",
        soci::use(reserved.name), soci::use(key), soci::use(reserved.reason), soci::use(reserved.created_by),
        soci::use(reserved.created_at);
    sql << "SELECT id FROM groupmanagement_reserved_names WHERE name_key = :key", soci::use(key),
        soci::into(reserved.id);
  } else {
    sql << "UPDATE groupmanagement_reserved_names SET name = :name, name_key = :key, reason = :reason, "
           "created_by = :by WHERE id = :id",
        soci::use(reserved.name), soci::use(key), soci::use(reserved.reason), soci::use(reserved.created_by),
        soci::use(reserved.id);
  }
  return errors;
}

bool delete_reserved_name(soci::session& sql, long long id) {
  soci::statement remove = (sql.prepare << "DELETE FROM groupmanagement_reserved_names WHERE id = :id", soci::use(id));
  remove.execute(true);
  return remove.get_affected_rows() > 0;
}

}  // namespace aa::core::groups
