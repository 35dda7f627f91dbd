#include "roles_above_bot.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>

#include "migrations.hpp"
#include "role_sync.hpp"

namespace discord_service {
namespace {

// Marks a message id for scripts/i18n/extract; the notifier translates it.
constexpr const char* gettext_noop(const char* msgid) { return msgid; }

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Stores the row of `role` unless it has one. Returns false when a row was
// there already, e.g. stored by another task meanwhile, so exactly one task
// notifies.
bool record_role_above_bot(soci::session& sql, const aa::discord::Role& role) {
  long long reported = 0;
  sql << "SELECT COUNT(*) FROM " << kRoleAboveBotTable << " WHERE role_id = :role_id", soci::use(role.id),
      soci::into(reported);
  if (reported > 0) return false;

  auto now = unix_now();
  try {
    sql << "INSERT INTO " << kRoleAboveBotTable
        << " (role_id, role_name, reported_at) VALUES (:role_id, :role_name, :reported_at)",
        soci::use(role.id), soci::use(role.name), soci::use(now);
    return true;
  } catch (const soci::soci_error&) {
    // The primary key rejected a second row: another task stored it
    // between the look and the insert. Any other failure leaves no row, so
    // it is raised again.
    sql << "SELECT COUNT(*) FROM " << kRoleAboveBotTable << " WHERE role_id = :role_id", soci::use(role.id),
        soci::into(reported);
    if (reported > 0) return false;
    throw;
  }
}

std::string quoted_names(const std::vector<aa::discord::Role>& roles) {
  std::string names;
  for (const auto& role : roles) names += (names.empty() ? "\"" : ", \"") + role.name + "\"";
  return names;
}

}  // namespace

std::optional<int> read_bot_position(Shared& shared, const std::vector<aa::discord::Role>& guild_roles,
                                     bool use_cache) {
  // NOTE: a role given to the bot, or dragged below it, counts as above the
  // bot until the cached roles expire (roles_cache_max_age). The opposite
  // change is caught at once, because Discord then answers Missing
  // Permissions and update_groups reads the roles again.
  auto bot_role_ids = shared.client->bot_role_ids(shared.settings.guild_id, use_cache);
  if (!bot_role_ids) {
    shared.logger.warning("reading the bot's roles in guild " + std::to_string(shared.settings.guild_id) +
                          " failed: " + bot_role_ids.error().describe() +
                          "; a role above the bot's highest role fails the whole role update until this succeeds");
    return std::nullopt;
  }
  return highest_position(guild_roles, bot_role_ids.value());
}

void report_roles_above_bot(Shared& shared, soci::session& sql, long long user_id,
                            const std::vector<aa::discord::Role>& blocked) {
  if (blocked.empty()) return;
  shared.logger.info("left the Discord roles " + quoted_names(blocked) + " of user " + std::to_string(user_id) +
                     " as they are: they sit above the bot's highest role, so Discord lets the bot neither give "
                     "nor take them");

  for (const auto& role : blocked) {
    if (!record_role_above_bot(sql, role)) continue;
    try {
      shared.context.notifier().notify_superusers(
          gettext_noop("A Discord role sits above the bot's role"),
          gettext_noop("The Discord role \"{role}\" sits above the bot's highest role, so Discord lets the bot "
                       "neither give it to members nor take it from them. Role sync leaves \"{role}\" as it is and "
                       "updates the other roles. Drag the bot's role above \"{role}\" in the server's role "
                       "settings; the next role update then gives and takes it."),
          {{"role", role.name}}, aa::NotificationLevel::warning);
    } catch (const std::exception& failure) {
      shared.logger.error("notifying the superusers that the Discord role \"" + role.name + "\" (" +
                          std::to_string(role.id) + ") sits above the bot's role failed: " + failure.what() +
                          "; the role stays recorded, so nobody is notified again");
    }
  }
}

void forget_roles_below_bot(soci::session& sql, const std::vector<aa::discord::Role>& guild_roles,
                            int bot_position) {
  std::vector<long long> stale;
  soci::rowset<long long> rows = (sql.prepare << "SELECT role_id FROM " << kRoleAboveBotTable);
  for (auto role_id : rows) {
    auto role = std::find_if(guild_roles.begin(), guild_roles.end(), [&](const auto& r) { return r.id == role_id; });
    if (role == guild_roles.end() || !is_above_bot(*role, bot_position)) stale.push_back(role_id);
  }
  for (auto role_id : stale) {
    sql << "DELETE FROM " << kRoleAboveBotTable << " WHERE role_id = :role_id", soci::use(role_id);
  }
}

}  // namespace discord_service
