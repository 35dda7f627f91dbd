#include "groups/group_repository.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "auth/accounts.hpp"
#include "db/database.hpp"
#include "groups/membership_rules.hpp"
#include "web/i18n.hpp"

namespace aa::core::groups {
namespace {

// Settings columns with upstream's defaults for a group without a settings
// row, in the order read_group expects.
constexpr const char* kGroupColumns =
    "g.id, g.name, COALESCE(a.description, ''), COALESCE(a.internal, 1), COALESCE(a.hidden, 1), "
    "COALESCE(a.open, 0), COALESCE(a.public, 0), COALESCE(a.restricted, 0), "
    "(SELECT COUNT(*) FROM user_groups ug WHERE ug.group_id = g.id)";
constexpr const char* kGroupFrom = " FROM auth_groups g LEFT JOIN groupmanagement_authgroups a ON a.group_id = g.id";

Group read_group(const soci::row& row) {
  Group group;
  group.id = row_int(row, 0);
  group.name = row_string(row, 1);
  group.description = row_string(row, 2);
  group.internal = row_int(row, 3) != 0;
  group.hidden = row_int(row, 4) != 0;
  group.open = row_int(row, 5) != 0;
  group.is_public = row_int(row, 6) != 0;
  group.restricted = row_int(row, 7) != 0;
  group.member_count = static_cast<int>(row_int(row, 8));
  return group;
}

std::vector<long long> select_ids(soci::session& sql, const std::string& query, long long id) {
  std::vector<long long> ids;
  soci::rowset<soci::row> rows = (sql.prepare << query, soci::use(id));
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return ids;
}

bool row_exists(soci::session& sql, const std::string& query, long long id) {
  int count = 0;
  sql << query, soci::use(id), soci::into(count);
  return count > 0;
}

bool user_exists(soci::session& sql, long long id) {
  return row_exists(sql, "SELECT COUNT(*) FROM users WHERE id = :id", id);
}
bool group_exists(soci::session& sql, long long id) {
  return row_exists(sql, "SELECT COUNT(*) FROM auth_groups WHERE id = :id", id);
}
bool state_exists(soci::session& sql, long long id) {
  return row_exists(sql, "SELECT COUNT(*) FROM states WHERE id = :id", id);
}

// The first id in `ids` that `exists` rejects, as a translated message.
template <typename Exists>
std::optional<std::string> unknown_id_problem(const std::vector<long long>& ids, Exists exists, const char* msgid,
                                              const text::Translate& translate) {
  for (long long id : ids) {
    if (!exists(id)) return text::fill(translate(msgid), {{"id", std::to_string(id)}});
  }
  return std::nullopt;
}

std::vector<long long> sorted_unique(std::vector<long long> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

void replace_links(soci::session& sql, const std::string& table, const std::string& column, long long group_id,
                   const std::vector<long long>& ids) {
  sql << "DELETE FROM " + table + " WHERE group_id = :id", soci::use(group_id);
  for (long long id : sorted_unique(ids)) {
    sql << "INSERT INTO " + table + " (group_id, " + column + ") VALUES (:group, :other)", soci::use(group_id),
        soci::use(id);
  }
}

void write_settings(soci::session& sql, const Group& group) {
  int internal = group.internal ? 1 : 0;
  int hidden = group.hidden ? 1 : 0;
  int open = group.open ? 1 : 0;
  int is_public = group.is_public ? 1 : 0;
  int restricted = group.restricted ? 1 : 0;
  sql << "DELETE FROM groupmanagement_authgroups WHERE group_id = :id", soci::use(group.id);
  sql << "INSERT INTO groupmanagement_authgroups (group_id, internal, hidden, open, public, restricted, description) "
         "VALUES (:id, :internal, :hidden, :open, :public, :restricted, :description)",
      soci::use(group.id), soci::use(internal), soci::use(hidden), soci::use(open), soci::use(is_public),
      soci::use(restricted), soci::use(group.description);
}

// Removes members whose state the group no longer allows.
void remove_members_of_closed_states(soci::session& sql, long long group_id, std::vector<SignalEvent>& events) {
  std::vector<long long> closed;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT ug.user_id FROM user_groups ug JOIN user_profiles p ON p.user_id = ug.user_id "
                      "WHERE ug.group_id = :group AND p.state_id NOT IN "
                      "(SELECT state_id FROM groupmanagement_group_states WHERE group_id = :group2)",
       soci::use(group_id), soci::use(group_id));
  for (const auto& row : rows) closed.push_back(row_int(row, 0));
  for (long long user_id : closed) remove_member(sql, group_id, user_id, events);
}

}  // namespace

std::optional<Group> load_group(soci::session& sql, long long group_id) {
  std::optional<Group> group;
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT ") + kGroupColumns + kGroupFrom + " WHERE g.id = :id", soci::use(group_id));
  for (const auto& row : rows) group = read_group(row);
  if (!group) return std::nullopt;

  group->leader_ids = select_ids(
      sql, "SELECT user_id FROM groupmanagement_group_leaders WHERE group_id = :id ORDER BY user_id", group_id);
  group->leader_group_ids =
      select_ids(sql,
                 "SELECT leader_group_id FROM groupmanagement_group_leader_groups WHERE group_id = :id "
                 "ORDER BY leader_group_id",
                 group_id);
  group->state_ids = select_ids(
      sql, "SELECT state_id FROM groupmanagement_group_states WHERE group_id = :id ORDER BY state_id", group_id);
  return group;
}

std::vector<Group> list_groups(soci::session& sql) {
  std::vector<Group> groups;
  soci::rowset<soci::row> rows = sql.prepare << std::string("SELECT ") + kGroupColumns + kGroupFrom + " ORDER BY g.name";
  for (const auto& row : rows) groups.push_back(read_group(row));
  return groups;
}

std::optional<long long> find_group_id(soci::session& sql, const std::string& name) {
  long long id = 0;
  sql << "SELECT id FROM auth_groups WHERE name = :name", soci::use(name), soci::into(id);
  if (!sql.got_data()) return std::nullopt;
  return id;
}

FieldErrors validate_group(soci::session& sql, const Group& group, const text::Translate& translate) {
  FieldErrors errors;
  std::optional<Group> stored;
  if (group.id != 0) stored = load_group(sql, group.id);

  if (auto problem = group_name_problem(group.name, translate)) {
    errors["name"] = *problem;
  } else {
    auto other = find_group_id(sql, group.name);
    bool renamed = !stored || stored->name != group.name;
    if (other && *other != group.id) {
      errors["name"] = text::fill(translate(gettext_noop("A group named \"{value}\" already exists.")),
                                  {{"value", text::shorten(group.name, 60)}});
    } else if (renamed && is_reserved_name(sql, group.name)) {
      errors["name"] =
          text::fill(translate(gettext_noop("\"{value}\" is a reserved group name; choose another name.")),
                     {{"value", text::shorten(group.name, 60)}});
    }
  }

  auto description_length = text::utf8_length(group.description);
  if (!description_length) {
    errors["description"] = translate(gettext_noop("The text is not valid UTF-8; type it again."));
  } else if (*description_length > kMaxDescriptionLength) {
    errors["description"] =
        text::fill(translate(gettext_noop("The description has {length} characters; shorten it to {max}.")),
                   {{"length", std::to_string(*description_length)}, {"max", std::to_string(kMaxDescriptionLength)}});
  } else if (text::has_control_characters(group.description, true)) {
    errors["description"] = translate(gettext_noop("The description contains control characters; remove them."));
  }

  if (auto problem = unknown_id_problem(
          group.leader_ids, [&](long long id) { return user_exists(sql, id); },
          gettext_noop("There is no user with id {id}."), translate)) {
    errors["leader_ids"] = *problem;
  }
  if (auto problem = unknown_id_problem(
          group.leader_group_ids, [&](long long id) { return (group.id != 0 && id == group.id) || group_exists(sql, id); },
          gettext_noop("There is no group with id {id}."), translate)) {
    errors["leader_group_ids"] = *problem;
  }
  if (auto problem = unknown_id_problem(
          group.state_ids, [&](long long id) { return state_exists(sql, id); },
          gettext_noop("There is no state with id {id}."), translate)) {
    errors["state_ids"] = *problem;
  }
  return errors;
}

FieldErrors save_group(soci::session& sql, Group& group, const text::Translate& translate,
                       std::vector<SignalEvent>& events) {
  std::optional<Group> stored;
  if (group.id != 0) {
    stored = load_group(sql, group.id);
    if (!stored) throw std::invalid_argument("no group with id " + std::to_string(group.id));
  }
  auto errors = validate_group(sql, group, translate);
  if (!errors.empty()) return errors;

  if (!stored) {
    sql << "INSERT INTO auth_groups (name) VALUES (:name)", soci::use(group.name);
    group.id = *find_group_id(sql, group.name);
  } else if (stored->name != group.name) {
    sql << "UPDATE auth_groups SET name = :name WHERE id = :id", soci::use(group.name), soci::use(group.id);
  }
  write_settings(sql, group);
  replace_links(sql, "groupmanagement_group_leaders", "user_id", group.id, group.leader_ids);
  replace_links(sql, "groupmanagement_group_leader_groups", "leader_group_id", group.id, group.leader_group_ids);
  replace_links(sql, "groupmanagement_group_states", "state_id", group.id, group.state_ids);

  auto new_states = sorted_unique(group.state_ids);
  bool states_changed = stored && sorted_unique(stored->state_ids) != new_states;
  if (states_changed && !new_states.empty()) remove_members_of_closed_states(sql, group.id, events);
  bump_auth_version(sql);
  return errors;
}

bool delete_group(soci::session& sql, long long group_id, std::vector<SignalEvent>& events) {
  if (!group_exists(sql, group_id)) return false;
  auto members = member_ids(sql, group_id);
  bool granted_request_groups = group_grants(sql, group_id, kRequestGroupsPermission);

  // Dependent rows first, so the result does not rest on each database
  // honouring ON DELETE CASCADE.
  for (const char* statement : {
           "DELETE FROM groupmanagement_requests WHERE group_id = :id",
           "DELETE FROM groupmanagement_request_log WHERE group_id = :id",
           "DELETE FROM groupmanagement_group_leaders WHERE group_id = :id",
           "DELETE FROM groupmanagement_group_leader_groups WHERE group_id = :id",
           "DELETE FROM groupmanagement_group_leader_groups WHERE leader_group_id = :id",
           "DELETE FROM groupmanagement_group_states WHERE group_id = :id",
           "DELETE FROM groupmanagement_authgroups WHERE group_id = :id",
           "DELETE FROM group_permissions WHERE group_id = :id",
           "DELETE FROM user_groups WHERE group_id = :id",
           "DELETE FROM auth_groups WHERE id = :id",
       }) {
    sql << statement, soci::use(group_id);
  }
  bump_auth_version(sql);

  for (long long user_id : members) {
    events.push_back({.signal = Signal::user_groups_changed, .user_id = user_id, .group_id = group_id});
  }
  if (granted_request_groups) {
    for (long long user_id : members) apply_request_groups_loss(sql, user_id, events);
  }
  events.push_back({.signal = Signal::group_deleted, .group_id = group_id});
  return true;
}

std::vector<Member> list_members(soci::session& sql, long long group_id) {
  std::vector<Member> members;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT u.id, u.username, u.is_active, c.character_id, c.character_name, c.corporation_id, "
                      "c.corporation_name, c.alliance_id, c.alliance_name FROM user_groups ug "
                      "JOIN users u ON u.id = ug.user_id LEFT JOIN user_profiles p ON p.user_id = u.id "
                      "LEFT JOIN eve_characters c ON c.character_id = p.main_character_id "
                      "WHERE ug.group_id = :id ORDER BY u.username",
       soci::use(group_id));
  for (const auto& row : rows) {
    Member member;
    member.user_id = row_int(row, 0);
    member.username = row_string(row, 1);
    member.is_active = row_int(row, 2) != 0;
    if (row.get_indicator(3) != soci::i_null) {
      Character main;
      main.character_id = row_int(row, 3);
      main.character_name = row_string(row, 4);
      main.corporation_id = row_int(row, 5);
      main.corporation_name = row_string(row, 6);
      if (row.get_indicator(7) != soci::i_null) main.alliance_id = row_int(row, 7);
      main.alliance_name = row_string(row, 8);
      member.main_character = std::move(main);
    }
    members.push_back(std::move(member));
  }
  return members;
}

std::vector<long long> member_ids(soci::session& sql, long long group_id) {
  return select_ids(sql, "SELECT user_id FROM user_groups WHERE group_id = :id ORDER BY user_id", group_id);
}

bool is_member(soci::session& sql, long long user_id, long long group_id) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM user_groups WHERE user_id = :user AND group_id = :group", soci::use(user_id),
      soci::use(group_id), soci::into(count);
  return count > 0;
}

bool add_member(soci::session& sql, long long group_id, long long user_id, std::vector<SignalEvent>& events) {
  if (!group_exists(sql, group_id)) throw std::invalid_argument("no group with id " + std::to_string(group_id));
  if (!user_exists(sql, user_id)) throw std::invalid_argument("no user with id " + std::to_string(user_id));
  if (is_member(sql, user_id, group_id)) return false;

  sql << "INSERT INTO user_groups (user_id, group_id) VALUES (:user, :group)", soci::use(user_id), soci::use(group_id);
  sql << "DELETE FROM groupmanagement_requests WHERE user_id = :user AND group_id = :group AND leave_request = 0",
      soci::use(user_id), soci::use(group_id);
  bump_auth_version(sql);
  events.push_back({.signal = Signal::user_groups_changed, .user_id = user_id, .group_id = group_id});
  return true;
}

bool remove_member(soci::session& sql, long long group_id, long long user_id, std::vector<SignalEvent>& events) {
  soci::statement remove = (sql.prepare << "DELETE FROM user_groups WHERE user_id = :user AND group_id = :group",
                            soci::use(user_id), soci::use(group_id));
  remove.execute(true);
  if (remove.get_affected_rows() == 0) return false;

  sql << "DELETE FROM groupmanagement_requests WHERE user_id = :user AND group_id = :group AND leave_request = 1",
      soci::use(user_id), soci::use(group_id);
  bump_auth_version(sql);
  events.push_back({.signal = Signal::user_groups_changed, .user_id = user_id, .group_id = group_id});
  return true;
}

bool replace_user_groups(soci::session& sql, long long user_id, const std::vector<long long>& group_ids,
                         std::vector<SignalEvent>& events) {
  if (!user_exists(sql, user_id)) throw std::invalid_argument("no user with id " + std::to_string(user_id));
  auto wanted = sorted_unique(group_ids);
  for (long long id : wanted) {
    if (!group_exists(sql, id)) throw std::invalid_argument("no group with id " + std::to_string(id));
  }
  auto current = select_ids(sql, "SELECT group_id FROM user_groups WHERE user_id = :id ORDER BY group_id", user_id);

  bool changed = false;
  for (long long id : current) {
    if (!std::binary_search(wanted.begin(), wanted.end(), id)) changed |= remove_member(sql, id, user_id, events);
  }
  for (long long id : wanted) {
    if (!std::binary_search(current.begin(), current.end(), id)) changed |= add_member(sql, id, user_id, events);
  }
  return changed;
}

bool replace_group_members(soci::session& sql, long long group_id, const std::vector<long long>& user_ids,
                           std::vector<SignalEvent>& events) {
  if (!group_exists(sql, group_id)) throw std::invalid_argument("no group with id " + std::to_string(group_id));
  auto wanted = sorted_unique(user_ids);
  for (long long id : wanted) {
    if (!user_exists(sql, id)) throw std::invalid_argument("no user with id " + std::to_string(id));
  }
  auto current = member_ids(sql, group_id);

  bool changed = false;
  for (long long id : current) {
    if (!std::binary_search(wanted.begin(), wanted.end(), id)) changed |= remove_member(sql, group_id, id, events);
  }
  for (long long id : wanted) {
    if (!std::binary_search(current.begin(), current.end(), id)) changed |= add_member(sql, group_id, id, events);
  }
  return changed;
}

std::vector<long long> led_group_ids(soci::session& sql, long long user_id) {
  std::vector<long long> ids;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT group_id FROM groupmanagement_group_leaders WHERE user_id = :user "
                      "UNION SELECT lg.group_id FROM groupmanagement_group_leader_groups lg "
                      "JOIN user_groups ug ON ug.group_id = lg.leader_group_id WHERE ug.user_id = :user2",
       soci::use(user_id), soci::use(user_id));
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return sorted_unique(std::move(ids));
}

std::vector<long long> approver_ids(soci::session& sql, long long group_id) {
  std::vector<long long> ids;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT l.user_id FROM groupmanagement_group_leaders l JOIN users u ON u.id = l.user_id "
                      "WHERE l.group_id = :group AND u.is_active = 1 "
                      "UNION SELECT ug.user_id FROM groupmanagement_group_leader_groups lg "
                      "JOIN user_groups ug ON ug.group_id = lg.leader_group_id JOIN users u ON u.id = ug.user_id "
                      "WHERE lg.group_id = :group2 AND u.is_active = 1",
       soci::use(group_id), soci::use(group_id));
  for (const auto& row : rows) ids.push_back(row_int(row, 0));
  return sorted_unique(std::move(ids));
}

}  // namespace aa::core::groups
