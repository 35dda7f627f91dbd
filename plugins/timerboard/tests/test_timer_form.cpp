#include <doctest/doctest.h>

#include "eve_time.hpp"
#include "timer_form.hpp"

using namespace timerboard;

namespace {

const long long kNow = *parse_eve_time("2024-05-01 12:00:30");

std::string untranslated(std::string_view msgid) { return std::string(msgid); }

TimerFormInput valid_input() {
  TimerFormInput input;
  input.details = "Reinforced by Goons";
  input.system = "1DQ1-A";
  input.planet_moon = "I - Moon 1";
  input.structure = "Keepstar";
  input.timer_type = "ARMOR";
  input.objective = "Hostile";
  input.eve_time = "2024-05-03 18:45";
  return input;
}

TimerFormResult validate(const TimerFormInput& input) { return validate_timer_form(input, kNow, untranslated); }

std::string error_of(const TimerFormResult& result, const std::string& field) {
  auto it = result.errors.find(field);
  return it == result.errors.end() ? std::string() : it->second;
}

}  // namespace

TEST_CASE("form: missing required fields are each reported") {
  auto result = validate(TimerFormInput{});
  CHECK_FALSE(result.ok());
  CHECK(error_of(result, "details") == "Enter the details of the timer.");
  CHECK(error_of(result, "system") == "Enter the solar system.");
  CHECK(error_of(result, "structure") == "Choose the structure type.");
  CHECK(error_of(result, "timer_type").empty());
  CHECK(error_of(result, "objective") == "Choose the objective.");
  CHECK(error_of(result, "time") == "Enter the EVE time or the time remaining.");
  CHECK(error_of(result, "planet_moon").empty());
}

TEST_CASE("form: a missing timer type is Not Specified") {
  auto input = valid_input();
  input.timer_type = "";
  auto result = validate(input);
  REQUIRE(result.ok());
  CHECK(result.timer.timer_type == "UNSPECIFIED");
}

TEST_CASE("form: blank text counts as missing") {
  auto input = valid_input();
  input.details = "  \t ";
  auto result = validate(input);
  CHECK(error_of(result, "details") == "Enter the details of the timer.");
}

TEST_CASE("form: unknown choice codes are rejected by value") {
  auto input = valid_input();
  input.structure = "Citadel[XL]";
  input.timer_type = "shield";  // codes are case-sensitive
  input.objective = "<b>Evil</b>";
  auto result = validate(input);
  CHECK(error_of(result, "structure") == "Select a valid choice. \"Citadel[XL]\" is not one of the available choices.");
  CHECK(error_of(result, "timer_type") == "Select a valid choice. \"shield\" is not one of the available choices.");
  CHECK(error_of(result, "objective") == "Select a valid choice. \"<b>Evil</b>\" is not one of the available choices.");
}

TEST_CASE("form: a long rejected value is shortened in the message") {
  auto input = valid_input();
  input.structure = std::string(5000, 'x');
  auto result = validate(input);
  CHECK(error_of(result, "structure") ==
        "Select a valid choice. \"" + std::string(40, 'x') + "…\" is not one of the available choices.");
}

TEST_CASE("form: oversized text is rejected with its length") {
  auto input = valid_input();
  input.details = std::string(255, 'a');
  input.system = std::string(254, 'b');  // exactly the maximum
  input.planet_moon = std::string(300, 'c');
  auto result = validate(input);
  CHECK(error_of(result, "details") == "Use at most 254 characters; this text has 255.");
  CHECK(error_of(result, "system").empty());
  CHECK(error_of(result, "planet_moon") == "Use at most 254 characters; this text has 300.");
}

TEST_CASE("form: length counts characters, not bytes") {
  auto input = valid_input();
  std::string text;
  for (int i = 0; i < 254; ++i) text += "吉";  // 762 bytes
  input.details = text;
  CHECK(validate(input).ok());
  input.details += "吉";
  CHECK(error_of(validate(input), "details") == "Use at most 254 characters; this text has 255.");
}

TEST_CASE("form: control characters and invalid UTF-8 are rejected") {
  auto input = valid_input();
  input.details = "first line\nsecond line";
  input.system = "Jita\xFF";
  auto result = validate(input);
  CHECK(error_of(result, "details") == "Remove the line breaks, tabs and other control characters from this text.");
  CHECK(error_of(result, "system") == "This text is not valid UTF-8. Type it again.");
}

TEST_CASE("form: markup in text is kept as typed") {
  // Templates escape every value on output, so markup is stored verbatim.
  auto input = valid_input();
  input.details = "<script>alert('x')</script> & \"quotes\"";
  auto result = validate(input);
  REQUIRE(result.ok());
  CHECK(result.timer.details == "<script>alert('x')</script> & \"quotes\"");
}

TEST_CASE("form: a valid absolute time sets every field") {
  auto input = valid_input();
  input.details = "  Reinforced by Goons  ";
  input.important = true;
  input.corp_timer = true;
  auto result = validate(input);
  REQUIRE(result.ok());
  const auto& timer = result.timer;
  CHECK(timer.details == "Reinforced by Goons");
  CHECK(timer.system == "1DQ1-A");
  CHECK(timer.planet_moon == "I - Moon 1");
  CHECK(timer.structure == "Keepstar");
  CHECK(timer.timer_type == "ARMOR");
  CHECK(timer.objective == "Hostile");
  CHECK(timer.eve_time == *parse_eve_time("2024-05-03 18:45"));
  CHECK(timer.important);
  CHECK(timer.corp_timer);
}

TEST_CASE("form: the time remaining counts from now") {
  auto input = valid_input();
  input.eve_time = "";
  input.days_left = "2";
  input.hours_left = " 6 ";
  input.minutes_left = "15";
  auto result = validate(input);
  REQUIRE(result.ok());
  CHECK(result.timer.eve_time == kNow + 2 * 86400 + 6 * 3600 + 15 * 60);

  // Blank parts count as zero.
  input.days_left = "";
  input.hours_left = "";
  input.minutes_left = "5";
  result = validate(input);
  REQUIRE(result.ok());
  CHECK(result.timer.eve_time == kNow + 5 * 60);
}

TEST_CASE("form: out of range or malformed countdown parts") {
  struct Case {
    const char* field;
    const char* value;
    const char* message;
  };
  for (const auto& test : {
           Case{"days_left", "-1", "Enter a whole number from 0 to 365; \"-1\" is not one."},
           Case{"days_left", "366", "Enter a whole number from 0 to 365; \"366\" is not one."},
           Case{"days_left", "99999999999999999999",
                "Enter a whole number from 0 to 365; \"99999999999999999999\" is not one."},
           Case{"hours_left", "24", "Enter a whole number from 0 to 23; \"24\" is not one."},
           Case{"hours_left", "1.5", "Enter a whole number from 0 to 23; \"1.5\" is not one."},
           Case{"minutes_left", "60", "Enter a whole number from 0 to 59; \"60\" is not one."},
           Case{"minutes_left", "+5", "Enter a whole number from 0 to 59; \"+5\" is not one."},
           Case{"minutes_left", "1e2", "Enter a whole number from 0 to 59; \"1e2\" is not one."},
       }) {
    CAPTURE(std::string(test.field));
    CAPTURE(std::string(test.value));
    auto input = valid_input();
    input.eve_time = "";
    if (std::string(test.field) == "days_left") input.days_left = test.value;
    if (std::string(test.field) == "hours_left") input.hours_left = test.value;
    if (std::string(test.field) == "minutes_left") input.minutes_left = test.value;
    auto result = validate(input);
    CHECK(error_of(result, test.field) == test.message);
  }
}

TEST_CASE("form: a countdown beyond a year is rejected") {
  auto input = valid_input();
  input.eve_time = "";
  input.days_left = "365";
  CHECK(validate(input).ok());
  input.hours_left = "1";
  CHECK(error_of(validate(input), "time") == "A timer can be at most 365 days ahead.");
}

TEST_CASE("form: both or neither time entry is rejected") {
  auto input = valid_input();
  input.minutes_left = "10";
  CHECK(error_of(validate(input), "time") == "Enter either the EVE time or the time remaining, not both.");
}

TEST_CASE("form: bad absolute times") {
  auto input = valid_input();
  input.eve_time = "2024-02-30 12:00";
  CHECK(error_of(validate(input), "eve_time") ==
        "\"2024-02-30 12:00\" is not a valid EVE time. Enter it as YYYY-MM-DD HH:MM in UTC, for example "
        "2024-05-01 12:00.");

  input.eve_time = "tomorrow";
  CHECK(error_of(validate(input), "eve_time").starts_with("\"tomorrow\" is not a valid EVE time."));

  input.eve_time = "2001-01-01 00:00";
  CHECK(error_of(validate(input), "eve_time") ==
        "The EVE time 2001-01-01 00:00 is before EVE Online existed. Check the year.");

  input.eve_time = "2025-05-02 12:00";  // a year and a day ahead
  CHECK(error_of(validate(input), "eve_time") == "A timer can be at most 365 days ahead.");

  input.eve_time = "2024-04-01 08:00";  // past timers may be recorded
  CHECK(validate(input).ok());
}

TEST_CASE("form: messages go through the translator") {
  auto result = validate_timer_form(TimerFormInput{}, kNow, [](std::string_view msgid) {
    return msgid == "Enter the solar system." ? std::string("Gib das Sonnensystem ein.") : std::string(msgid);
  });
  CHECK(error_of(result, "system") == "Gib das Sonnensystem ein.");
}

TEST_CASE("form: an edit form shows the stored values") {
  Timer timer;
  timer.details = "Fuel";
  timer.system = "Amamake";
  timer.planet_moon = "II - Moon 4";
  timer.structure = "Moon Mining Cycle";
  timer.timer_type = "UNSPECIFIED";
  timer.objective = "Friendly";
  timer.eve_time = *parse_eve_time("2024-05-02 08:30");
  timer.important = true;
  auto input = form_input_from(timer);
  CHECK(input.details == "Fuel");
  CHECK(input.system == "Amamake");
  CHECK(input.planet_moon == "II - Moon 4");
  CHECK(input.structure == "Moon Mining Cycle");
  CHECK(input.timer_type == "UNSPECIFIED");
  CHECK(input.objective == "Friendly");
  CHECK(input.eve_time == "2024-05-02 08:30");
  CHECK(input.days_left.empty());
  CHECK(input.important);
  CHECK_FALSE(input.corp_timer);

  // Saving it unchanged keeps the time to the second.
  timer.eve_time += 17;
  input = form_input_from(timer);
  CHECK(input.eve_time == "2024-05-02 08:30:17");
  auto result = validate_timer_form(input, kNow, untranslated);
  REQUIRE(result.ok());
  CHECK(result.timer.eve_time == timer.eve_time);
}

TEST_CASE("form: checkbox values as Django reads them") {
  CHECK_FALSE(checkbox_checked(std::nullopt));
  for (const char* off : {"", "0", "false", "off"}) {
    CAPTURE(std::string(off));
    CHECK_FALSE(checkbox_checked(std::string(off)));
  }
  for (const char* on : {"on", "1", "true", "yes"}) {
    CAPTURE(std::string(on));
    CHECK(checkbox_checked(std::string(on)));
  }
}

TEST_CASE("choices: every code is found and unknown ones are not") {
  CHECK(find_choice(structure_choices(), "I-HUB")->label == "Sovereignty Hub");
  CHECK(find_choice(structure_choices(), "Metenox Moon Drill").has_value());
  CHECK(find_choice(timer_type_choices(), "UNSPECIFIED")->label == "Not Specified");
  CHECK(find_choice(objective_choices(), "Neutral").has_value());
  CHECK_FALSE(find_choice(structure_choices(), "POS[XL]").has_value());
  CHECK_FALSE(find_choice(objective_choices(), "neutral").has_value());
  for (auto choices : {structure_choices(), timer_type_choices(), objective_choices()}) {
    for (const auto& choice : choices) {
      CAPTURE(std::string(choice.code));
      CHECK(choice.code.size() <= kMaxTextLength);
      CHECK(find_choice(choices, choice.code)->code == choice.code);
    }
  }
}
