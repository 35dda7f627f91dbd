#include <doctest/doctest.h>

#include <stdexcept>

#include "aa/db.hpp"
#include "services/name_formats.hpp"
#include "test_support.hpp"

using namespace aa::core;

namespace {

const std::vector<std::string> kServices{"discord", "mumble"};

long long state_id(soci::session& sql, const std::string& name) {
  long long id = 0;
  sql << "SELECT id FROM states WHERE name = :name", soci::use(name), soci::into(id);
  return id;
}

long long format_rows(soci::session& sql) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM service_name_formats", soci::into(count);
  return count;
}

bool has_problem(const std::vector<std::pair<std::string, std::string>>& problems, const std::string& field,
                 const std::string& text) {
  for (const auto& [problem_field, message] : problems) {
    if (problem_field == field && message.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("name formats: stored per service and state") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    soci::session sql(database.db().pool());
    auto member = state_id(sql, "Member");
    auto blue = state_id(sql, "Blue");

    NameFormatRecord record{0, "discord", "[{corp_ticker}] {character_name}", {member, blue}};
    save_name_format(sql, record, kServices);
    CHECK(record.id > 0);
    CHECK(stored_name_format(sql, "discord", member) == "[{corp_ticker}] {character_name}");
    CHECK(stored_name_format(sql, "discord", blue) == "[{corp_ticker}] {character_name}");
    CHECK_FALSE(stored_name_format(sql, "mumble", member).has_value());
    CHECK_FALSE(stored_name_format(sql, "discord", state_id(sql, "Guest")).has_value());

    // Editing keeps the id and replaces the states.
    record.format = "{character_name}";
    record.state_ids = {blue};
    save_name_format(sql, record, kServices);
    CHECK(stored_name_format(sql, "discord", blue) == "{character_name}");
    CHECK_FALSE(stored_name_format(sql, "discord", member).has_value());

    // Deleting a state deletes its link, not the format.
    sql << "DELETE FROM states WHERE id = :id", soci::use(blue);
    CHECK_FALSE(stored_name_format(sql, "discord", blue).has_value());
    CHECK(format_rows(sql) == 1);
  }
}

TEST_CASE("name formats: invalid records name the field and save nothing") {
  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    soci::session sql(database.db().pool());
    auto member = state_id(sql, "Member");
    NameFormatRecord first{0, "discord", "{character_name}", {member}};
    save_name_format(sql, first, kServices);

    auto problems_of = [&](NameFormatRecord record) { return name_format_problems(sql, record, kServices); };
    CHECK(has_problem(problems_of({0, "teamspeak", "{character_name}", {member}}), "service_name",
                      "'teamspeak' is not a loaded service; the services are discord, mumble"));
    CHECK(has_problem(problems_of({0, "mumble", "", {member}}), "format", "the format is missing"));
    CHECK(has_problem(problems_of({0, "mumble", std::string(300, 'x'), {member}}), "format", "300 characters"));
    CHECK(has_problem(problems_of({0, "mumble", "{corp}", {member}}), "format", "unknown field 'corp'"));
    CHECK(has_problem(problems_of({0, "mumble", "{character_name}", {}}), "state_ids", "choose at least one state"));
    CHECK(has_problem(problems_of({0, "mumble", "{character_name}", {999999}}), "state_ids",
                      "state 999999 does not exist"));
    CHECK(has_problem(problems_of({0, "discord", "[{corp_ticker}]", {member}}), "state_ids",
                      "state Member already has a discord name format"));
    // The record itself is not a duplicate of itself.
    CHECK(problems_of(first).empty());

    NameFormatRecord duplicate{0, "discord", "[{corp_ticker}]", {member}};
    CHECK_THROWS_AS(save_name_format(sql, duplicate, kServices), std::invalid_argument);
    CHECK(duplicate.id == 0);
    CHECK(format_rows(sql) == 1);
  }
}

TEST_CASE("name formats: length counted in characters") {
  // One character of 3 bytes and one of 4 bytes, so byte counts and
  // character counts differ.
  const std::string han = "\xE6\x98\x9F";
  const std::string rocket = "\xF0\x9F\x9A\x80";
  auto repeat = [](const std::string& text, int times) {
    std::string repeated;
    for (int i = 0; i < times; ++i) repeated += text;
    return repeated;
  };

  for (const auto& backend : aa::test::backends()) {
    CAPTURE(backend);
    aa::test::TestDatabase database(backend);
    soci::session sql(database.db().pool());
    auto member = state_id(sql, "Member");
    auto blue = state_id(sql, "Blue");
    auto problems_of = [&](NameFormatRecord record) { return name_format_problems(sql, record, kServices); };

    // 16 + 1 + 183 = 200 characters in 566 bytes.
    NameFormatRecord chinese{0, "discord", "{character_name} " + repeat(han, 183), {member}};
    CHECK(problems_of(chinese).empty());
    save_name_format(sql, chinese, kServices);
    CHECK(stored_name_format(sql, "discord", member) == chinese.format);

    // 16 + 239 = 255 characters of which 239 take 4 bytes: the column keeps
    // all of them on MariaDB's utf8mb4.
    NameFormatRecord emoji{0, "mumble", "{character_name}" + repeat(rocket, 239), {blue}};
    CHECK(problems_of(emoji).empty());
    save_name_format(sql, emoji, kServices);
    CHECK(stored_name_format(sql, "mumble", blue) == emoji.format);

    NameFormatRecord too_long{0, "mumble", "{character_name}" + repeat(rocket, 240), {member}};
    CHECK(has_problem(problems_of(too_long), "format", "the format has 256 characters; at most 255 are allowed"));
    NameFormatRecord invalid{0, "mumble", "{character_name}\xFF", {member}};
    CHECK(has_problem(problems_of(invalid), "format", "the format is not valid UTF-8"));
    CHECK(format_rows(sql) == 2);
  }
}
