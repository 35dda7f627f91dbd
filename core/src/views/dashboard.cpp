// The dashboard: main character, characters, groups, plugin panels, and for
// superusers the version, database, plugin status and task statistics.
#include <algorithm>

#include "aa/evelinks.hpp"
#include "aa/template.hpp"
#include "aa/version.hpp"
#include "app/app.hpp"
#include "http/request.hpp"
#include "views/task_statistics.hpp"
#include "views/views.hpp"

namespace aa::core::views {
namespace {

void add_main_character(const Character& main, TemplateData& data) {
  auto& panel = data.add_row("MAIN");
  panel.set("NAME", main.character_name);
  panel.set("PORTRAIT_URL", evelinks::character_portrait_url(main.character_id, 256));
  panel.set("CORPORATION_NAME", main.corporation_name);
  panel.set("CORPORATION_TICKER", main.corporation_ticker);
  panel.set("CORPORATION_LOGO_URL", evelinks::corporation_logo_url(main.corporation_id, 128));
  if (main.alliance_id) {
    auto& alliance = panel.add_row("ALLIANCE");
    alliance.set("NAME", main.alliance_name);
    alliance.set("TICKER", main.alliance_ticker);
    alliance.set("LOGO_URL", evelinks::alliance_logo_url(*main.alliance_id, 128));
  }
  if (main.faction_id) {
    auto& faction = panel.add_row("FACTION");
    faction.set("NAME", main.faction_name);
    faction.set("LOGO_URL", evelinks::faction_logo_url(*main.faction_id, 128));
  }
}

void add_superuser_panel(CoreRequest& request, TemplateData& data) {
  auto& app = request.host();
  auto& panel = data.add_row("ADMIN_PANEL");
  panel.set("VERSION", aa::kVersion);
  panel.set("DATABASE", app.db().description());
  for (const auto& record : app.plugins().records()) {
    auto& row = panel.add_row("PLUGIN");
    row.set("NAME", record.name);
    row.set("VERSION", record.version);
    row.set("STATUS", std::string(to_string(record.status)));
    row.show_if(record.status == PluginStatus::loaded ? "LOADED" : "FAILED", true);
    row.set("REASON", record.reason);
  }
  add_task_statistics(app, panel);
}

}  // namespace

Response dashboard(Request& request) {
  auto& host = static_cast<CoreRequest&>(request);
  const auto* snapshot = host.snapshot();
  TemplateData data;
  data.set("TITLE", request.translate("Dashboard"));
  data.set("ADD_CHARACTER_URL", request.url_for("authentication:add_character"));
  data.set("CHANGE_MAIN_URL", request.url_for("authentication:change_main_character"));
  data.set("STATE", snapshot->user.state_name);

  add_main_character(*snapshot->user.main_character, data);

  for (const auto& character : snapshot->characters) {
    auto& row = data.add_row("CHARACTER");
    row.set("NAME", character.character_name);
    row.set("PORTRAIT_URL", evelinks::character_portrait_url(character.character_id, 32));
    row.set("CORPORATION_NAME", character.corporation_name);
    row.set("ALLIANCE_NAME", character.alliance_name);
    row.show_if("IS_MAIN", character.character_id == snapshot->user.main_character->character_id);
  }

  if (snapshot->groups.empty()) data.show("NO_GROUPS");
  for (const auto& group : snapshot->groups) data.add_row("GROUP").set("NAME", group.name);

  // Plugin panels, ordered; a failing panel is logged and left out.
  std::vector<const Owned<DashboardHook>*> panels;
  for (const auto& owned : host.host().hooks().dashboard_panels) panels.push_back(&owned);
  std::stable_sort(panels.begin(), panels.end(), [](const auto* a, const auto* b) { return a->hook.order < b->hook.order; });
  for (const auto* owned : panels) {
    try {
      auto html = owned->hook.render(request);
      if (!html.empty()) data.add_row("PANEL").set("HTML", std::move(html));
    } catch (const std::exception& error) {
      core_log().error("dashboard panel of plugin {} failed for user {}: {}", owned->plugin, snapshot->user.id,
                       error.what());
    }
  }

  if (snapshot->user.is_superuser) add_superuser_panel(host, data);
  return request.render("allianceauth/dashboard.html", data);
}

}  // namespace aa::core::views
