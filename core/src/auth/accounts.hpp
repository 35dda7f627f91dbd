// Users, their profiles and characters in the database. Every function
// takes the session to use, so callers control transactions.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/models.hpp"

namespace aa::core {

/// The permission codes a user holds, computed once per request.
struct PermissionSet {
  bool all = false;  ///< Superusers hold every permission.
  std::set<std::string, std::less<>> codes;

  bool has(std::string_view code) const { return all || codes.contains(code); }
};

struct NewUser {
  std::string username;
  std::string password_hash;  ///< Empty: no password login.
  std::string email;
  bool is_staff = false;
  bool is_superuser = false;
};

std::optional<User> load_user(soci::session& sql, long long user_id);
std::optional<long long> find_user_id(soci::session& sql, const std::string& username);
/// Creates the user and their profile in the Guest state. Throws
/// std::invalid_argument when the username is empty, too long or taken.
long long create_user(soci::session& sql, const NewUser& user);
/// The username Alliance Auth derives from a character name: "'" removed,
/// spaces as "_", and "_1", "_2", ... added while the name is taken.
std::string username_for_character(soci::session& sql, const std::string& character_name);
/// Checks a username as an admin types it: 1-150 characters, letters,
/// digits and @ . + - _ only. Returns the problem, or nothing.
std::optional<std::string> username_problem(const std::string& username);

std::optional<std::string> password_hash_of(soci::session& sql, long long user_id);
void set_password_hash(soci::session& sql, long long user_id, const std::string& hash);
void record_login(soci::session& sql, long long user_id);
void set_language(soci::session& sql, long long user_id, const std::string& language);

std::optional<Character> load_character(soci::session& sql, long long character_id);
/// Inserts or updates the character's name and affiliation.
void save_character(soci::session& sql, const Character& character);
/// Every character the user owns, main first, then by name.
std::vector<Character> characters_of_user(soci::session& sql, long long user_id);
std::vector<GroupRef> groups_of_user(soci::session& sql, long long user_id);
PermissionSet load_permissions(soci::session& sql, const User& user);

/// The user who owns `character_id` through a character ownership.
std::optional<long long> owner_of_character(soci::session& sql, long long character_id);
/// The inactive user that takes over records of deleted users; created on first use.
long long sentinel_user_id(soci::session& sql);

/// Marks cached auth data of every process stale. Call inside the
/// transaction of the change.
void bump_auth_version(soci::session& sql);
long long auth_version(soci::session& sql);

}  // namespace aa::core
