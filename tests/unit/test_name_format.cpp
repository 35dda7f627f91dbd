#include <doctest/doctest.h>

#include <stdexcept>

#include "aa/name_format.hpp"

namespace {

aa::User pilot(bool in_alliance) {
  aa::User user;
  user.username = "Bjorn_Bee";
  aa::Character main;
  main.character_id = 2112625428;
  main.character_name = "Bjorn Bee";
  main.corporation_id = 98388312;
  main.corporation_name = "KarmaFleet";
  main.corporation_ticker = "KARMA";
  if (in_alliance) {
    main.alliance_id = 1354830081;
    main.alliance_name = "Goonswarm Federation";
    main.alliance_ticker = "CONDI";
  }
  user.main_character = main;
  return user;
}

}  // namespace

TEST_CASE("name format: upstream's examples") {
  auto fields = aa::name_fields_of(pilot(true));
  CHECK(aa::apply_name_format("{character_name}", fields) == "Bjorn Bee");
  CHECK(aa::apply_name_format("[{corp_ticker}]{character_name}", fields) == "[KARMA]Bjorn Bee");
  CHECK(aa::apply_name_format("{alliance_ticker} - {character_name}", fields) == "CONDI - Bjorn Bee");
  CHECK(aa::apply_name_format("{{{corp_name}}}{character_name}", fields) == "{KarmaFleet}Bjorn Bee");
  CHECK(aa::apply_name_format("{username} {character_id} {corp_id} {alliance_id}", fields) ==
        "Bjorn_Bee 2112625428 98388312 1354830081");
  CHECK(aa::apply_name_format("{alliance_or_corp_name}/{alliance_or_corp_ticker}", fields) ==
        "Goonswarm Federation/CONDI");
}

TEST_CASE("name format: alliance_or_corp falls back to the corporation") {
  auto fields = aa::name_fields_of(pilot(false));
  CHECK(aa::apply_name_format("[{alliance_or_corp_ticker}] {character_name}", fields) == "[KARMA] Bjorn Bee");
  CHECK(aa::apply_name_format("{alliance_or_corp_name}", fields) == "KarmaFleet");
  CHECK(aa::apply_name_format("<{alliance_id}{alliance_ticker}>", fields) == "<>");
}

TEST_CASE("name format: a user without a main character has only the username") {
  aa::User user;
  user.username = "new_user";
  auto fields = aa::name_fields_of(user);
  CHECK(aa::apply_name_format("{username}|{character_name}|{corp_ticker}", fields) == "new_user||");
}

TEST_CASE("name format: format specs as in Python") {
  auto fields = aa::name_fields_of(pilot(true));
  CHECK(aa::apply_name_format("{character_name:.5}", fields) == "Bjorn");
  CHECK(aa::apply_name_format("[{corp_ticker:>6}]", fields) == "[ KARMA]");
  CHECK(aa::apply_name_format("[{corp_ticker:*^9}]", fields) == "[**KARMA**]");
}

TEST_CASE("name format: unusable formats name the problem") {
  struct Case {
    const char* format;
    const char* expected;
  };
  const Case cases[] = {
      {"{character}", "unknown field 'character'; the fields are username, character_id"},
      {"{character_name", "the '{' at position 1 is not closed"},
      {"[{corp_ticker]}", "unknown field 'corp_ticker]'"},
      {"name}", "a single '}' at position 5"},
      {"{}", "a field without a name"},
      {"{0}", "unknown field '0'"},
      {"{character_name!r}", "conversions such as '!r' are not supported"},
      {"{character_name:1000000000}", "is above 255"},
      {"{character_name:.256}", "is above 255"},
      {"{corp_id:d}", "the format spec is not valid for text"},
      {"{character_name:{corp_id}}", "a field inside the format spec at position 17 is not supported"},
      {"[{corp_ticker:>{corp_id}}] {character_name", "a field inside the format spec at position 16"},
      {"{character_name:>5", "the '{' at position 1 is not closed"},
      {"{character_name {corp_id}}", "the '{' at position 1 is not closed"},
  };
  for (const auto& c : cases) {
    std::string format = c.format;
    CAPTURE(format);
    auto problem = aa::name_format_problem(c.format);
    REQUIRE(problem.has_value());
    CHECK(problem->find(c.expected) != std::string::npos);
    CHECK_THROWS_AS(aa::apply_name_format(c.format, aa::NameFields{}), std::invalid_argument);
  }
}

TEST_CASE("name format: usable formats have no problem") {
  for (const char* format : {"", "plain text", "{{literal}}", "{character_name:.255}", "{{{corp_name}}}"}) {
    CAPTURE(format);
    CHECK_FALSE(aa::name_format_problem(format).has_value());
  }
}
