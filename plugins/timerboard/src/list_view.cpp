#include "eve_time.hpp"
#include "text.hpp"
#include "timer_repository.hpp"
#include "views.hpp"

namespace timerboard {
namespace {

// One table of timers (see timer_table.html), or the `empty_section` notice.
void add_table(aa::Request& request, const std::vector<Timer>& timers, bool can_manage, bool countdown,
               const std::string& section, const std::string& empty_section, aa::TemplateData& data) {
  if (timers.empty()) {
    data.show(empty_section);
    return;
  }
  auto& table = data.add_row(section);
  table.show_if("CAN_MANAGE", can_manage);
  for (const auto& timer : timers) {
    auto& row = table.add_row("TIMER");
    set_timer_values(request, timer, can_manage, row);
    row.show_if("COUNTDOWN", countdown);
  }
}

}  // namespace

aa::Response TimerViews::list(aa::Request& request) const {
  auto now = unix_now();
  auto corporation = viewer_corporation(request);
  bool can_manage = request.has_perm(kManagePermission);
  auto since = now - options_.past_days * 86400;
  auto upcoming = upcoming_timers(request.db(), corporation, now);
  auto past = past_timers(request.db(), corporation, now, since);

  aa::TemplateData data;
  data.set("TITLE", request.translate("Structure Timers"));
  data.set("NOW_TEXT", format_eve_time(now));
  data.set("NOW_ISO", format_iso8601(now));
  if (can_manage) data.add_row("CAN_ADD").set("ADD_URL", request.url_for("timerboard:add"));
  data.set("PAST_NOTE", fill(request.translate("Timers since {time} EVE time; older ones are not shown."),
                                       {{"time", format_eve_time(since)}}));
  add_table(request, upcoming, can_manage, true, "NEXT", "NO_NEXT", data);
  add_table(request, past, can_manage, false, "PAST", "NO_PAST", data);
  add_timerboard_script(data);
  return request.render("timerboard/view.html", data);
}

}  // namespace timerboard
