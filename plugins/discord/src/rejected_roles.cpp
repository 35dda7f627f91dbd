#include "rejected_roles.hpp"

#include "migrations.hpp"

namespace discord_service {

std::optional<RejectedRole> find_rejected_role(soci::session& sql, bool from_state, long long source_id) {
  RejectedRole rejected;
  int state_flag = from_state ? 1 : 0;
  sql << "SELECT role_name, rejected_at FROM " << kRejectedRoleTable
      << " WHERE from_state = :from_state AND source_id = :source_id",
      soci::into(rejected.role_name), soci::into(rejected.rejected_at), soci::use(state_flag), soci::use(source_id);
  if (!sql.got_data()) return std::nullopt;
  rejected.from_state = from_state;
  rejected.source_id = source_id;
  return rejected;
}

bool record_rejected_role(soci::session& sql, const RejectedRole& rejected) {
  int state_flag = rejected.from_state ? 1 : 0;
  try {
    sql << "INSERT INTO " << kRejectedRoleTable
        << " (from_state, source_id, role_name, rejected_at) VALUES (:from_state, :source_id, :role_name, :rejected_at)",
        soci::use(state_flag), soci::use(rejected.source_id), soci::use(rejected.role_name),
        soci::use(rejected.rejected_at);
    return true;
  } catch (const soci::soci_error&) {
    // The primary key refused a second row for the group or state: another
    // task recorded the rejection meanwhile. Any other failure leaves no
    // row, so it is raised again.
    if (find_rejected_role(sql, rejected.from_state, rejected.source_id)) return false;
    throw;
  }
}

void forget_rejected_role(soci::session& sql, bool from_state, long long source_id) {
  int state_flag = from_state ? 1 : 0;
  sql << "DELETE FROM " << kRejectedRoleTable << " WHERE from_state = :from_state AND source_id = :source_id",
      soci::use(state_flag), soci::use(source_id);
}

}  // namespace discord_service
