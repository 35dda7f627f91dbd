#include "eve_time.hpp"
#include "text.hpp"
#include "timer_repository.hpp"
#include "views.hpp"

namespace timerboard {

aa::Response TimerViews::remove(aa::Request& request) const {
  auto id = timer_id(request);
  if (!id) return aa::Response::error(404);
  auto timer = find_timer(request.db(), *id, viewer_corporation(request));
  if (!timer) return aa::Response::error(404);

  // A GET never deletes. It shows the timer and a form that POSTs back here.
  if (request.method() != aa::Method::post) {
    aa::TemplateData data;
    data.set("TITLE", request.translate("Delete Structure Timer"));
    data.set("ACTION_URL", request.url_for("timerboard:delete", {{"id", std::to_string(timer->id)}}));
    data.set("CANCEL_URL", request.url_for("timerboard:view"));
    set_timer_values(request, *timer, false, data.add_row("TIMER"));
    return request.render("timerboard/confirm_delete.html", data);
  }

  if (!delete_timer(request.db(), timer->id)) return aa::Response::error(404);
  logger_.info("timer " + std::to_string(timer->id) + " in " + timer->system + " at " +
               format_eve_time(timer->eve_time) + " deleted by " + describe_user(request));
  request.add_message(aa::MessageLevel::success,
                      fill(request.translate("Deleted the timer in {system} at {time}."),
                                     {{"system", timer->system}, {"time", format_eve_time(timer->eve_time)}}));
  return aa::Response::redirect(request.url_for("timerboard:view"));
}

}  // namespace timerboard
