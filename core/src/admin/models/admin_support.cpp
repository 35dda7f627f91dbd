#include "admin/models/admin_support.hpp"

#include <algorithm>
#include <string_view>

#include "app/app.hpp"
#include "auth/accounts.hpp"
#include "db/database.hpp"
#include "http/request.hpp"
#include "web/text.hpp"

namespace aa::core {

App& host_of(Request& request) { return static_cast<CoreRequest&>(request).host(); }

void declare_model_permissions(aa::Registry& registry, const std::string& app_label, const std::string& model_name,
                               const std::string& verbose_name) {
  for (auto& permission : admin_default_permissions(app_label, model_name, verbose_name)) {
    registry.add_permission(std::move(permission));
  }
}

std::vector<AdminChoice> permission_choices(soci::session& sql) {
  std::vector<AdminChoice> choices;
  soci::rowset<soci::row> rows =
      sql.prepare << "SELECT app_label, codename, name FROM permissions ORDER BY app_label, codename";
  for (const auto& row : rows) {
    auto code = row_string(row, 0) + "." + row_string(row, 1);
    choices.push_back({code, code + ": " + row_string(row, 2)});
  }
  return choices;
}

std::vector<std::string> granted_codes(soci::session& sql, const GrantTable& grants, long long id) {
  std::vector<std::string> codes;
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT p.app_label, p.codename FROM ") + grants.table +
                          " g JOIN permissions p ON p.id = g.permission_id WHERE g." + grants.column + " = :id",
       soci::use(id));
  for (const auto& row : rows) codes.push_back(row_string(row, 0) + "." + row_string(row, 1));
  std::sort(codes.begin(), codes.end());
  return codes;
}

std::vector<std::string> replace_grants(soci::session& sql, const GrantTable& grants, long long id,
                                        const std::vector<std::string>& codes) {
  auto current = granted_codes(sql, grants, id);
  std::vector<std::string> wanted = codes;
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  std::vector<std::string> changed;
  if (current == wanted) return changed;

  for (const auto& code : current) {
    if (std::binary_search(wanted.begin(), wanted.end(), code)) continue;
    auto dot = code.find('.');
    auto app_label = code.substr(0, dot);
    auto codename = code.substr(dot + 1);
    sql << std::string("DELETE FROM ") + grants.table + " WHERE " + grants.column +
               " = :id AND permission_id IN (SELECT id FROM permissions WHERE app_label = :app AND codename = :code)",
        soci::use(id), soci::use(app_label), soci::use(codename);
    changed.push_back(code);
  }
  for (const auto& code : wanted) {
    if (std::binary_search(current.begin(), current.end(), code)) continue;
    auto dot = code.find('.');
    if (dot == std::string::npos) continue;
    auto app_label = code.substr(0, dot);
    auto codename = code.substr(dot + 1);
    long long permission = 0;
    sql << "SELECT id FROM permissions WHERE app_label = :app AND codename = :code", soci::use(app_label),
        soci::use(codename), soci::into(permission);
    if (!sql.got_data()) continue;
    sql << std::string("INSERT INTO ") + grants.table + " (" + grants.column +
               ", permission_id) VALUES (:id, :permission)",
        soci::use(id), soci::use(permission);
    changed.push_back(code);
  }
  if (!changed.empty()) bump_auth_version(sql);
  return changed;
}

std::vector<SignalEvent> grant_events(const GrantTable& grants, long long id, const std::vector<std::string>& changed) {
  std::vector<SignalEvent> events;
  for (const auto& code : changed) {
    SignalEvent event{.signal = Signal::permission_grant_changed, .permission = code};
    std::string_view column = grants.column;
    if (column == kUserGrants.column) event.user_id = id;
    if (column == kGroupGrants.column) event.group_id = id;
    if (column == kStateGrants.column) event.state_id = id;
    events.push_back(event);
  }
  return events;
}

std::string taken_message(Request& request, const std::string& value) {
  return text::fill(request.translate("\xE2\x80\x9C{value}\xE2\x80\x9D is already taken; choose another name."),
              {{"value", text::shorten(value)}});
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& name : names) list += (list.empty() ? "" : ", ") + ("\xE2\x80\x9C" + name + "\xE2\x80\x9D");
  return list;
}

std::vector<std::string> to_texts(const std::vector<long long>& ids) {
  std::vector<std::string> texts;
  for (long long id : ids) texts.push_back(std::to_string(id));
  return texts;
}

std::vector<long long> to_ids(const std::vector<std::string>& texts) {
  std::vector<long long> ids;
  for (const auto& text : texts) ids.push_back(std::stoll(text));
  return ids;
}

}  // namespace aa::core
