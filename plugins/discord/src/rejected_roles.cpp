#include "rejected_roles.hpp"

#include <chrono>
#include <exception>

#include "migrations.hpp"

namespace discord_service {
namespace {

// Marks a message id for scripts/i18n/extract; the notifier translates it.
constexpr const char* gettext_noop(const char* msgid) { return msgid; }

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string source_text(const WantedRole& role) {
  return std::string(role.from_state ? "state " : "group ") + std::to_string(role.source_id) + " (\"" +
         role.source_name + "\")";
}

}  // namespace

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

bool forget_rejected_role(soci::session& sql, bool from_state, long long source_id) {
  int state_flag = from_state ? 1 : 0;
  soci::statement deletion = (sql.prepare << "DELETE FROM " << kRejectedRoleTable
                                          << " WHERE from_state = :from_state AND source_id = :source_id",
                              soci::use(state_flag), soci::use(source_id));
  deletion.execute(true);
  return deletion.get_affected_rows() > 0;
}

bool is_rejected_name(const aa::discord::Error& error) {
  return error.kind == aa::discord::ErrorKind::bad_request && error.code == 50035;
}

void report_rejected_name(Shared& shared, soci::session& sql, long long user_id, const WantedRole& role,
                          const aa::discord::Error& error) {
  shared.logger.warning("Discord rejected the role name \"" + role.name + "\" of " + source_text(role) +
                        " while updating user " + std::to_string(user_id) + ": " + error.describe() +
                        "; the role is skipped until the name changes");
  if (!record_rejected_role(sql, {role.from_state, role.source_id, role.name, unix_now()})) return;

  auto message = role.from_state
                     ? gettext_noop("Discord rejected the role name \"{role}\" for the state \"{source}\": {reason}. "
                                    "Members of this state get no Discord role for it until you rename the state to "
                                    "a name Discord accepts; the next role update then creates the role.")
                     : gettext_noop("Discord rejected the role name \"{role}\" for the group \"{source}\": {reason}. "
                                    "Members of this group get no Discord role for it until you rename the group to "
                                    "a name Discord accepts; the next role update then creates the role.");
  try {
    shared.context.notifier().notify_superusers(
        gettext_noop("Discord rejected a role name"), message,
        {{"role", role.name}, {"source", role.source_name}, {"reason", error.describe()}},
        aa::NotificationLevel::warning);
  } catch (const std::exception& failure) {
    shared.logger.error("notifying the superusers that Discord rejected the role name of " + source_text(role) +
                        " failed: " + failure.what() + "; the rejection stays recorded, so nobody is notified again");
  }
}

std::optional<aa::discord::Role> role_after_rejection(Shared& shared, soci::session& sql, const WantedRole& wanted,
                                                      const RejectedRole& rejected,
                                                      const std::vector<aa::discord::Role>& guild_roles) {
  for (const auto& role : guild_roles) {
    if (role.name != wanted.name) continue;
    forget_rejected_role(sql, wanted.from_state, wanted.source_id);
    shared.logger.info("the Discord role \"" + wanted.name + "\" of " + source_text(wanted) +
                       " exists now, though Discord once rejected the name; it is used again");
    return role;
  }
  shared.logger.debug("skipping the role \"" + rejected.role_name + "\" of " + source_text(wanted) +
                      ": Discord rejected the name and superusers were notified");
  return std::nullopt;
}

}  // namespace discord_service
