// Helpers shared by the core model admins: the host behind a request, the
// permission choices and the grant tables of users, groups and states.
#pragma once

#include <string>
#include <vector>

#include <soci/soci.h>

#include "aa/admin.hpp"
#include "aa/registry.hpp"
#include "aa/signals.hpp"

namespace aa::core {

class App;

/// The host of a core request.
App& host_of(Request& request);

/// A field shown on the change page and never written.
inline AdminField readonly_field(const char* name, const char* label) {
  return {.name = name, .label = label, .type = AdminFieldType::readonly};
}

/// Declares the four Django permissions of a model.
void declare_model_permissions(aa::Registry& registry, const std::string& app_label, const std::string& model_name,
                               const std::string& verbose_name);

/// Every declared permission as a choice: value "app_label.codename",
/// label "app_label.codename: name".
std::vector<AdminChoice> permission_choices(soci::session& sql);

/// A grant table: user_permissions, group_permissions or state_permissions.
struct GrantTable {
  const char* table;
  const char* column;
};
inline constexpr GrantTable kUserGrants{"user_permissions", "user_id"};
inline constexpr GrantTable kGroupGrants{"group_permissions", "group_id"};
inline constexpr GrantTable kStateGrants{"state_permissions", "state_id"};

/// The permission codes granted to one user, group or state, sorted.
std::vector<std::string> granted_codes(soci::session& sql, const GrantTable& grants, long long id);
/// Makes `codes` the grants of `id`. Returns the codes granted or revoked,
/// empty when nothing changed. Unknown codes are skipped (the form only
/// offers declared ones).
std::vector<std::string> replace_grants(soci::session& sql, const GrantTable& grants, long long id,
                                        const std::vector<std::string>& codes);

/// One permission_grant_changed event per code in `changed`, with the
/// grantee's id in the field for `grants`' table.
std::vector<SignalEvent> grant_events(const GrantTable& grants, long long id, const std::vector<std::string>& changed);

/// The names in typographic quotes, separated by commas, for messages:
/// “a”, “b”.
std::string quoted_list(const std::vector<std::string>& names);

/// Ids as the texts of a multi-choice field's values, and back. to_ids
/// expects values the host has checked against the field's choices.
std::vector<std::string> to_texts(const std::vector<long long>& ids);
std::vector<long long> to_ids(const std::vector<std::string>& texts);

/// Django's "{model} with this {field} already exists." style message.
std::string taken_message(Request& request, const std::string& value);

}  // namespace aa::core
