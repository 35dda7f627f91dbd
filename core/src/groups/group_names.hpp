// Group names: the checks every group name passes, and reserved group names,
// which no group may take. Reserved names are compared case-insensitively
// with Unicode case folding ("Discord", "DISCORD" and "discord" are one
// name), so an admin can keep names free for groups that another bot manages
// on an external service.
//
// Functions that write run inside the caller's transaction and mark cached
// auth data stale where they change it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "web/text.hpp"

namespace aa::core::groups {

/// Messages by field name, already translated; empty when the input is valid.
using FieldErrors = std::map<std::string, std::string>;

/// The most characters a group name may have (auth_groups.name holds 150).
inline constexpr std::size_t kMaxGroupNameLength = 150;
inline constexpr std::size_t kMaxReservedReasonLength = 512;
inline constexpr std::size_t kMaxCreatedByLength = 255;

/// `name` case-folded with Unicode rules, for case-insensitive comparison;
/// the SDK's aa::text::fold_case, so plugins match reserved names alike.
/// `name` must be valid UTF-8.
std::string fold_name(std::string_view name);

/// The problem with `name` as a group name, translated, or nothing: it must
/// be 1 to 150 characters of valid UTF-8 without control characters, and
/// without leading or trailing spaces.
std::optional<std::string> group_name_problem(std::string_view name, const text::Translate& translate);

struct ReservedName {
  long long id = 0;
  std::string name;
  std::string reason;
  std::string created_by;  ///< Username of whoever reserved it.
  long long created_at = 0;  ///< Unix seconds; set by save_reserved_name on insert.
};

std::vector<ReservedName> list_reserved_names(soci::session& sql);
std::optional<ReservedName> load_reserved_name(soci::session& sql, long long id);
/// True when `name` matches a reserved name, ignoring case.
bool is_reserved_name(soci::session& sql, std::string_view name);

/// Checks `reserved` and inserts it (id 0) or updates it. Fields "name",
/// "reason" and "created_by" get errors for a missing, too long or invalid
/// value; "name" also for a name already reserved or a group that already
/// has the name (both ignoring case). Nothing is written when there is an
/// error. Throws std::invalid_argument for an id that does not exist.
FieldErrors save_reserved_name(soci::session& sql, ReservedName& reserved, const text::Translate& translate);
/// Returns false when there was no such reserved name.
bool delete_reserved_name(soci::session& sql, long long id);

}  // namespace aa::core::groups
