#include "auth/accounts.hpp"

#include <cctype>
#include <stdexcept>

#include "db/database.hpp"

namespace aa::core {
namespace {

constexpr const char* kSentinelUsername = "deleted";

// Columns of eve_characters in the order read_character expects.
constexpr const char* kCharacterColumns =
    "c.character_id, c.character_name, c.corporation_id, c.corporation_name, c.corporation_ticker, "
    "c.alliance_id, c.alliance_name, c.alliance_ticker, c.faction_id, c.faction_name";

Character read_character(const soci::row& row, std::size_t first) {
  Character character;
  character.character_id = row_int(row, first);
  character.character_name = row_string(row, first + 1);
  character.corporation_id = row_int(row, first + 2);
  character.corporation_name = row_string(row, first + 3);
  character.corporation_ticker = row_string(row, first + 4);
  if (row.get_indicator(first + 5) != soci::i_null) character.alliance_id = row_int(row, first + 5);
  character.alliance_name = row_string(row, first + 6);
  character.alliance_ticker = row_string(row, first + 7);
  if (row.get_indicator(first + 8) != soci::i_null) character.faction_id = row_int(row, first + 8);
  character.faction_name = row_string(row, first + 9);
  return character;
}

long long guest_state(soci::session& sql) {
  long long id = 0;
  sql << "SELECT id FROM states WHERE name = 'Guest'", soci::into(id);
  if (!sql.got_data()) throw std::runtime_error("the Guest state is missing; run `allianceauth migrate`");
  return id;
}

}  // namespace

std::optional<User> load_user(soci::session& sql, long long user_id) {
  soci::rowset<soci::row> rows = (sql.prepare << std::string("SELECT u.id, u.username, u.email, u.is_active, u.is_staff, "
                                                             "u.is_superuser, p.state_id, s.name, p.language, ") +
                                                     kCharacterColumns +
                                                     " FROM users u JOIN user_profiles p ON p.user_id = u.id "
                                                     "JOIN states s ON s.id = p.state_id "
                                                     "LEFT JOIN eve_characters c ON c.character_id = p.main_character_id "
                                                     "WHERE u.id = :id",
                                  soci::use(user_id));
  for (const auto& row : rows) {
    User user;
    user.id = row_int(row, 0);
    user.username = row_string(row, 1);
    user.email = row_string(row, 2);
    user.is_active = row_int(row, 3) != 0;
    user.is_staff = row_int(row, 4) != 0;
    user.is_superuser = row_int(row, 5) != 0;
    user.state_id = row_int(row, 6);
    user.state_name = row_string(row, 7);
    user.language = row_string(row, 8);
    if (row.get_indicator(9) != soci::i_null) user.main_character = read_character(row, 9);
    return user;
  }
  return std::nullopt;
}

std::optional<long long> find_user_id(soci::session& sql, const std::string& username) {
  long long id = 0;
  sql << "SELECT id FROM users WHERE username = :name", soci::use(username), soci::into(id);
  if (!sql.got_data()) return std::nullopt;
  return id;
}

std::optional<std::string> username_problem(const std::string& username) {
  if (username.empty()) return "the username is empty";
  if (username.size() > 150) return "the username is longer than 150 characters";
  for (unsigned char c : username) {
    if (!std::isalnum(c) && c != '@' && c != '.' && c != '+' && c != '-' && c != '_' && c < 0x80) {
      return "the username may contain only letters, digits and @ . + - _";
    }
  }
  return std::nullopt;
}

long long create_user(soci::session& sql, const NewUser& user) {
  if (user.username.empty() || user.username.size() > 150) {
    throw std::invalid_argument("username '" + user.username + "' must be 1 to 150 characters long");
  }
  if (find_user_id(sql, user.username)) throw std::invalid_argument("username '" + user.username + "' is taken");

  long long now = unix_now();
  int staff = user.is_staff ? 1 : 0;
  int superuser = user.is_superuser ? 1 : 0;
  sql << "INSERT INTO users (username, password, email, is_active, is_staff, is_superuser, date_joined) "
         "VALUES (:username, :password, :email, 1, :staff, :superuser, :now)",
      soci::use(user.username), soci::use(user.password_hash), soci::use(user.email), soci::use(staff),
      soci::use(superuser), soci::use(now);
  long long id = *find_user_id(sql, user.username);
  long long state = guest_state(sql);
  sql << "INSERT INTO user_profiles (user_id, state_id) VALUES (:id, :state)", soci::use(id), soci::use(state);
  bump_auth_version(sql);
  return id;
}

std::string username_for_character(soci::session& sql, const std::string& character_name) {
  // Upstream's rule (drop "'", spaces to "_"), plus the username rule: any
  // other character outside letters, digits and @ . + - _ becomes "_" too.
  // EVE names are at most 37 characters; longer input is cut so the
  // numbered suffix still fits the 150 the column holds.
  constexpr std::size_t kMaxBase = 140;
  std::string base;
  for (unsigned char c : character_name) {
    if (c == '\'') continue;
    bool allowed = std::isalnum(c) || c == '@' || c == '.' || c == '+' || c == '-' || c == '_';
    base.push_back(allowed && c < 0x80 ? static_cast<char>(c) : '_');
    if (base.size() == kMaxBase) break;
  }
  if (base.empty()) base = "pilot";
  if (!find_user_id(sql, base)) return base;
  for (int suffix = 1;; ++suffix) {
    auto candidate = base + "_" + std::to_string(suffix);
    if (!find_user_id(sql, candidate)) return candidate;
  }
}

std::optional<std::string> password_hash_of(soci::session& sql, long long user_id) {
  std::string hash;
  sql << "SELECT password FROM users WHERE id = :id", soci::use(user_id), soci::into(hash);
  if (!sql.got_data()) return std::nullopt;
  return hash;
}

void set_password_hash(soci::session& sql, long long user_id, const std::string& hash) {
  sql << "UPDATE users SET password = :hash WHERE id = :id", soci::use(hash), soci::use(user_id);
}

void record_login(soci::session& sql, long long user_id) {
  long long now = unix_now();
  sql << "UPDATE users SET last_login = :now WHERE id = :id", soci::use(now), soci::use(user_id);
}

void set_language(soci::session& sql, long long user_id, const std::string& language) {
  sql << "UPDATE user_profiles SET language = :language WHERE user_id = :id", soci::use(language), soci::use(user_id);
  bump_auth_version(sql);
}

std::optional<Character> load_character(soci::session& sql, long long character_id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT ") + kCharacterColumns + " FROM eve_characters c WHERE c.character_id = :id",
       soci::use(character_id));
  for (const auto& row : rows) return read_character(row, 0);
  return std::nullopt;
}

void save_character(soci::session& sql, const Character& character) {
  soci::indicator alliance_ind = character.alliance_id ? soci::i_ok : soci::i_null;
  soci::indicator faction_ind = character.faction_id ? soci::i_ok : soci::i_null;
  long long alliance = character.alliance_id.value_or(0);
  long long faction = character.faction_id.value_or(0);
  long long now = unix_now();

  int exists = 0;
  sql << "SELECT COUNT(*) FROM eve_characters WHERE character_id = :id", soci::use(character.character_id),
      soci::into(exists);
  if (exists) {
    sql << "UPDATE eve_characters SET character_name = :name, corporation_id = :corp, corporation_name = :corp_name, "
           "corporation_ticker = :corp_ticker, alliance_id = :alliance, alliance_name = :alliance_name, "
           "alliance_ticker = :alliance_ticker, faction_id = :faction, faction_name = :faction_name, "
           "updated_at = :now WHERE character_id = :id",
        soci::use(character.character_name), soci::use(character.corporation_id),
        soci::use(character.corporation_name), soci::use(character.corporation_ticker),
        soci::use(alliance, alliance_ind), soci::use(character.alliance_name), soci::use(character.alliance_ticker),
        soci::use(faction, faction_ind), soci::use(character.faction_name), soci::use(now),
        soci::use(character.character_id);
  } else {
    sql << "INSERT INTO eve_characters (character_id, character_name, corporation_id, corporation_name, "
           "corporation_ticker, alliance_id, alliance_name, alliance_ticker, faction_id, faction_name, updated_at) "
           "VALUES (:id, :name, :corp, :corp_name, :corp_ticker, :alliance, :alliance_name, :alliance_ticker, "
           ":faction, :faction_name, :now)",
        soci::use(character.character_id), soci::use(character.character_name), soci::use(character.corporation_id),
        soci::use(character.corporation_name), soci::use(character.corporation_ticker),
        soci::use(alliance, alliance_ind), soci::use(character.alliance_name), soci::use(character.alliance_ticker),
        soci::use(faction, faction_ind), soci::use(character.faction_name), soci::use(now);
  }
  bump_auth_version(sql);
}

std::vector<Character> characters_of_user(soci::session& sql, long long user_id) {
  std::vector<Character> characters;
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT ") + kCharacterColumns +
                          ", CASE WHEN p.main_character_id = c.character_id THEN 0 ELSE 1 END AS is_alt"
                          " FROM character_ownerships o JOIN eve_characters c ON c.character_id = o.character_id"
                          " JOIN user_profiles p ON p.user_id = o.user_id"
                          " WHERE o.user_id = :id ORDER BY is_alt, c.character_name",
       soci::use(user_id));
  for (const auto& row : rows) characters.push_back(read_character(row, 0));
  return characters;
}

std::vector<GroupRef> groups_of_user(soci::session& sql, long long user_id) {
  std::vector<GroupRef> groups;
  soci::rowset<soci::row> rows = (sql.prepare << "SELECT g.id, g.name FROM user_groups ug JOIN auth_groups g "
                                                 "ON g.id = ug.group_id WHERE ug.user_id = :id ORDER BY g.name",
                                  soci::use(user_id));
  for (const auto& row : rows) groups.push_back({row_int(row, 0), row_string(row, 1)});
  return groups;
}

PermissionSet load_permissions(soci::session& sql, const User& user) {
  PermissionSet set;
  if (!user.is_active) return set;
  if (user.is_superuser) {
    set.all = true;
    return set;
  }
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT p.app_label, p.codename FROM permissions p WHERE p.id IN ("
                      " SELECT permission_id FROM user_permissions WHERE user_id = :user"
                      " UNION SELECT gp.permission_id FROM group_permissions gp JOIN user_groups ug"
                      "   ON ug.group_id = gp.group_id WHERE ug.user_id = :user2"
                      " UNION SELECT permission_id FROM state_permissions WHERE state_id = :state)",
       soci::use(user.id), soci::use(user.id), soci::use(user.state_id));
  for (const auto& row : rows) set.codes.insert(row_string(row, 0) + "." + row_string(row, 1));
  return set;
}

std::optional<long long> owner_of_character(soci::session& sql, long long character_id) {
  long long user_id = 0;
  sql << "SELECT user_id FROM character_ownerships WHERE character_id = :id", soci::use(character_id),
      soci::into(user_id);
  if (!sql.got_data()) return std::nullopt;
  return user_id;
}

long long sentinel_user_id(soci::session& sql) {
  if (auto id = find_user_id(sql, kSentinelUsername)) return *id;
  NewUser user;
  user.username = kSentinelUsername;
  long long id = create_user(sql, user);
  sql << "UPDATE users SET is_active = 0 WHERE id = :id", soci::use(id);
  return id;
}

void bump_auth_version(soci::session& sql) { sql << "UPDATE aa_data_versions SET version = version + 1 WHERE name = 'auth'"; }

long long auth_version(soci::session& sql) {
  long long version = 0;
  sql << "SELECT version FROM aa_data_versions WHERE name = 'auth'", soci::into(version);
  return version;
}

}  // namespace aa::core
