#include "aa/evelinks.hpp"
#include "eve_time.hpp"
#include "views.hpp"

namespace timerboard {
namespace {

// Relative, so the host puts it under its static URL.
constexpr const char* kScriptUrl = "timerboard/js/timerboard.js";

// Bootstrap badge classes by objective, as upstream colours them.
std::string objective_badge(std::string_view objective) {
  if (objective == "Hostile") return "text-bg-danger";
  if (objective == "Friendly") return "text-bg-primary";
  return "text-bg-secondary";
}

}  // namespace

long long viewer_corporation(const aa::Request& request) {
  const auto* user = request.user();
  if (!user || !user->main_character) return 0;
  return user->main_character->corporation_id;
}

std::optional<long long> timer_id(const aa::Request& request) {
  auto text = request.path_param("id");
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    id = id * 10 + (c - '0');
  }
  if (id <= 0) return std::nullopt;
  return id;
}

std::string choice_label(const aa::Request& request, std::span<const Choice> choices, std::string_view code) {
  auto choice = find_choice(choices, code);
  if (!choice) return std::string(code);
  return request.translate(choice->label);
}

void set_timer_values(aa::Request& request, const Timer& timer, bool can_manage, aa::TemplateData& row) {
  row.set("ID", timer.id);
  row.set("DETAILS", timer.details);
  row.set("SYSTEM", timer.system);
  row.set("PLANET_MOON", timer.planet_moon);
  row.set("DOTLAN_URL", aa::evelinks::dotlan_solar_system_url(timer.system));
  row.set("STRUCTURE", choice_label(request, structure_choices(), timer.structure));
  row.set("OBJECTIVE", choice_label(request, objective_choices(), timer.objective));
  row.set("OBJECTIVE_BADGE", objective_badge(timer.objective));
  if (timer.timer_type != kDefaultTimerType) {
    row.add_row("TIMER_TYPE").set("LABEL", choice_label(request, timer_type_choices(), timer.timer_type));
  }
  row.set("EVE_TIME", format_eve_time(timer.eve_time));
  row.set("EVE_TIME_ISO", format_iso8601(timer.eve_time));
  row.set("CREATOR", timer.character_name);
  row.set("CORPORATION", timer.corporation_name);
  row.show_if("IMPORTANT", timer.important);
  row.show_if("CORP_TIMER", timer.corp_timer);
  if (can_manage) {
    auto& actions = row.add_row("ACTIONS");
    actions.set("EDIT_URL", request.url_for("timerboard:edit", {{"id", std::to_string(timer.id)}}));
    actions.set("DELETE_URL", request.url_for("timerboard:delete", {{"id", std::to_string(timer.id)}}));
  }
}

void add_timerboard_script(aa::TemplateData& data) { data.add_row("EXTRA_JS").set("URL", kScriptUrl); }

std::string describe_user(const aa::Request& request) {
  const auto* user = request.user();
  if (!user) return "an anonymous user";
  return "user " + std::to_string(user->id) + " (" + user->username + ")";
}

}  // namespace timerboard
