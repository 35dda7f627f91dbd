#include "auth/grants.hpp"

#include <stdexcept>

#include "auth/accounts.hpp"
#include "db/database.hpp"

namespace aa::core {
namespace {

struct GrantTable {
  const char* table;
  const char* column;
  const char* lookup;  ///< Finds the grantee's id by name.
  const char* what;
};

GrantTable table_for(Grantee kind) {
  switch (kind) {
    case Grantee::user: return {"user_permissions", "user_id", "SELECT id FROM users WHERE username = :name", "user"};
    case Grantee::group:
      return {"group_permissions", "group_id", "SELECT id FROM auth_groups WHERE name = :name", "group"};
    case Grantee::state: return {"state_permissions", "state_id", "SELECT id FROM states WHERE name = :name", "state"};
  }
  throw std::logic_error("unknown grantee kind");
}

long long permission_id(soci::session& sql, const std::string& code) {
  auto dot = code.find('.');
  if (dot == std::string::npos) {
    throw std::invalid_argument("'" + code + "' is not a permission code; write app_label.codename");
  }
  auto app_label = code.substr(0, dot);
  auto codename = code.substr(dot + 1);
  long long id = 0;
  sql << "SELECT id FROM permissions WHERE app_label = :app AND codename = :code", soci::use(app_label),
      soci::use(codename), soci::into(id);
  if (!sql.got_data()) {
    throw std::invalid_argument("no permission " + code +
                                " is declared; run `allianceauth permissions` to list them (the daemon adds the "
                                "permissions of its plugins when it starts)");
  }
  return id;
}

long long grantee_id(soci::session& sql, const GrantTable& table, const std::string& name) {
  long long id = 0;
  sql << table.lookup, soci::use(name), soci::into(id);
  if (!sql.got_data()) throw std::invalid_argument(std::string("no ") + table.what + " named '" + name + "'");
  return id;
}

// The event of a change to `kind`'s grant of `code`, with the grantee's id
// in the field for its kind.
SignalEvent grant_event(Grantee kind, long long grantee, const std::string& code) {
  SignalEvent event{.signal = Signal::permission_grant_changed, .permission = code};
  switch (kind) {
    case Grantee::user: event.user_id = grantee; break;
    case Grantee::group: event.group_id = grantee; break;
    case Grantee::state: event.state_id = grantee; break;
  }
  return event;
}

}  // namespace

std::vector<PermissionRow> list_permissions(soci::session& sql) {
  std::vector<PermissionRow> rows;
  soci::rowset<soci::row> result =
      sql.prepare << "SELECT app_label, codename, name FROM permissions ORDER BY app_label, codename";
  for (const auto& row : result) rows.push_back({row_string(row, 0) + "." + row_string(row, 1), row_string(row, 2)});
  return rows;
}

bool grant_permission(soci::session& sql, const std::string& code, Grantee kind, const std::string& grantee_name,
                      std::vector<SignalEvent>& events) {
  auto table = table_for(kind);
  auto permission = permission_id(sql, code);
  auto grantee = grantee_id(sql, table, grantee_name);
  int exists = 0;
  sql << std::string("SELECT COUNT(*) FROM ") + table.table + " WHERE " + table.column +
             " = :grantee AND permission_id = :permission",
      soci::use(grantee), soci::use(permission), soci::into(exists);
  if (exists) return false;
  sql << std::string("INSERT INTO ") + table.table + " (" + table.column + ", permission_id) VALUES (:grantee, :permission)",
      soci::use(grantee), soci::use(permission);
  bump_auth_version(sql);
  events.push_back(grant_event(kind, grantee, code));
  return true;
}

bool revoke_permission(soci::session& sql, const std::string& code, Grantee kind, const std::string& grantee_name,
                       std::vector<SignalEvent>& events) {
  auto table = table_for(kind);
  auto permission = permission_id(sql, code);
  auto grantee = grantee_id(sql, table, grantee_name);
  soci::statement remove = (sql.prepare << std::string("DELETE FROM ") + table.table + " WHERE " + table.column +
                                               " = :grantee AND permission_id = :permission",
                            soci::use(grantee), soci::use(permission));
  remove.execute(true);
  if (remove.get_affected_rows() == 0) return false;
  bump_auth_version(sql);
  events.push_back(grant_event(kind, grantee, code));
  return true;
}

}  // namespace aa::core
