#include <cctype>

#include "eve_time.hpp"
#include "text.hpp"
#include "timer_repository.hpp"
#include "views.hpp"

namespace timerboard {
namespace {

TimerFormInput read_form(const aa::Request& request) {
  auto field = [&](std::string_view name) { return request.form(name).value_or(""); };
  TimerFormInput input;
  input.details = field("details");
  input.system = field("system");
  input.planet_moon = field("planet_moon");
  input.structure = field("structure");
  input.timer_type = field("timer_type");
  input.objective = field("objective");
  input.eve_time = field("eve_time");
  input.days_left = field("days_left");
  input.hours_left = field("hours_left");
  input.minutes_left = field("minutes_left");
  input.important = checkbox_checked(request.form("important"));
  input.corp_timer = checkbox_checked(request.form("corp_timer"));
  return input;
}

void add_options(const aa::Request& request, std::span<const Choice> choices, const std::string& selected,
                 const std::string& section, aa::TemplateData& data) {
  for (const auto& choice : choices) {
    auto& option = data.add_row(section);
    option.set("VALUE", std::string(choice.code));
    option.set("LABEL", request.translate(choice.label));
    option.show_if("SELECTED", choice.code == selected);
  }
}

// Shows the error of `field`. The FIELD_ERROR section marks the input and
// contains the message.
void add_error(const FieldErrors& errors, const std::string& field, aa::TemplateData& data) {
  auto it = errors.find(field);
  if (it == errors.end()) return;
  std::string section = field + "_error";
  for (auto& c : section) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  data.add_row(section).set("MESSAGE", it->second);
}

}  // namespace

aa::Response TimerViews::render_form(aa::Request& request, FormMode mode, const Timer* timer,
                                     const TimerFormInput& input, const FieldErrors& errors, int status) const {
  aa::TemplateData data;
  bool adding = mode == FormMode::add;
  data.set("TITLE", adding ? request.translate("Create Structure Timer") : request.translate("Edit Structure Timer"));
  data.set("SUBMIT_LABEL", adding ? request.translate("Create Timer") : request.translate("Save Changes"));
  data.set("ACTION_URL", adding ? request.url_for("timerboard:add")
                                : request.url_for("timerboard:edit", {{"id", std::to_string(timer->id)}}));
  data.set("CANCEL_URL", request.url_for("timerboard:view"));
  data.set("EVE_TIME_HELP", fill(request.translate("For example {time} for the current EVE time."),
                                           {{"time", format_eve_time(unix_now())}}));
  data.set("MAX_DAYS", kMaxDaysAhead);

  data.set("DETAILS", input.details);
  data.set("SYSTEM", input.system);
  data.set("PLANET_MOON", input.planet_moon);
  data.set("EVE_TIME", input.eve_time);
  data.set("DAYS_LEFT", input.days_left);
  data.set("HOURS_LEFT", input.hours_left);
  data.set("MINUTES_LEFT", input.minutes_left);
  add_options(request, structure_choices(), input.structure, "STRUCTURE_OPTION", data);
  add_options(request, timer_type_choices(), input.timer_type, "TIMER_TYPE_OPTION", data);
  add_options(request, objective_choices(), input.objective, "OBJECTIVE_OPTION", data);
  data.show_if("IMPORTANT_CHECKED", input.important);
  data.show_if("CORP_TIMER_CHECKED", input.corp_timer);

  // Corporation-only timers belong to the creator's corporation, which an
  // edit keeps; a new timer takes the manager's own.
  std::string corporation;
  if (timer) {
    corporation = timer->corporation_name;
    data.add_row("CREATOR").set(
        "TEXT", fill(request.translate("Created by {character} ({corporation})."),
                               {{"character", timer->character_name}, {"corporation", timer->corporation_name}}));
  } else if (const auto* user = request.user(); user && user->main_character) {
    corporation = user->main_character->corporation_name;
  }
  data.set("CORP_TIMER_HELP", fill(request.translate("Only members of {corporation} can see this timer."),
                                             {{"corporation", corporation}}));

  if (!errors.empty()) data.show("FORM_ERRORS");
  for (const auto* field : {"details", "system", "planet_moon", "structure", "timer_type", "objective", "eve_time",
                            "days_left", "hours_left", "minutes_left", "time"}) {
    add_error(errors, field, data);
  }
  return request.render("timerboard/form.html", data, status);
}

aa::Response TimerViews::add(aa::Request& request) const {
  const auto* user = request.user();
  if (!user || !user->main_character) return aa::Response::error(403);

  if (request.method() != aa::Method::post) {
    TimerFormInput blank;
    blank.timer_type = std::string(kDefaultTimerType);
    return render_form(request, FormMode::add, nullptr, blank, {}, 200);
  }

  auto input = read_form(request);
  auto now = unix_now();
  auto result = validate_timer_form(input, now, [&](std::string_view msgid) { return request.translate(msgid); });
  if (!result.ok()) return render_form(request, FormMode::add, nullptr, input, result.errors, 400);

  Timer timer = std::move(result.timer);
  const auto& main = *user->main_character;
  timer.user_id = user->id;
  timer.character_id = main.character_id;
  timer.character_name = main.character_name;
  timer.corporation_id = main.corporation_id;
  timer.corporation_name = main.corporation_name;
  timer.created_at = now;
  timer.updated_at = now;
  insert_timer(request.db(), timer);

  std::string line = "timer " + std::to_string(timer.id) + " in " + timer.system + " at " +
                     format_eve_time(timer.eve_time) + " created by " + describe_user(request);
  if (timer.corp_timer) line += ", visible only to corporation " + std::to_string(timer.corporation_id);
  logger_.info(line);
  request.add_message(aa::MessageLevel::success,
                      fill(request.translate("Added new timer in {system} at {time}."),
                                     {{"system", timer.system}, {"time", format_eve_time(timer.eve_time)}}));
  return aa::Response::redirect(request.url_for("timerboard:view"));
}

aa::Response TimerViews::edit(aa::Request& request) const {
  auto id = timer_id(request);
  if (!id) return aa::Response::error(404);
  auto timer = find_timer(request.db(), *id, viewer_corporation(request));
  if (!timer) return aa::Response::error(404);

  if (request.method() != aa::Method::post) {
    return render_form(request, FormMode::edit, &*timer, form_input_from(*timer), {}, 200);
  }

  auto input = read_form(request);
  auto now = unix_now();
  auto result = validate_timer_form(input, now, [&](std::string_view msgid) { return request.translate(msgid); });
  if (!result.ok()) return render_form(request, FormMode::edit, &*timer, input, result.errors, 400);

  // Only the editable fields change; the creator stays.
  auto& values = result.timer;
  timer->details = std::move(values.details);
  timer->system = std::move(values.system);
  timer->planet_moon = std::move(values.planet_moon);
  timer->structure = std::move(values.structure);
  timer->timer_type = std::move(values.timer_type);
  timer->objective = std::move(values.objective);
  timer->eve_time = values.eve_time;
  timer->important = values.important;
  timer->corp_timer = values.corp_timer;
  update_timer(request.db(), *timer, now);

  logger_.info("timer " + std::to_string(timer->id) + " in " + timer->system + " at " +
               format_eve_time(timer->eve_time) + " edited by " + describe_user(request));
  request.add_message(aa::MessageLevel::success, request.translate("Saved changes to the timer."));
  return aa::Response::redirect(request.url_for("timerboard:view"));
}

}  // namespace timerboard
