#include <doctest/doctest.h>

#include "eve_time.hpp"

using namespace timerboard;

TEST_CASE("parse_eve_time rejects malformed text") {
  for (const char* text :
       {"", "2024-05-01", "2024-05-01 12", "2024-5-01 12:00", "2024-05-01 12:00:0", "2024-05-01_12:00",
        "2024/05/01 12:00", "2024-05-01 12-00", "2024-05-01 12:00Z", " 2024-05-01 12:00", "2024-05-01 1a:00",
        "+024-05-01 12:00", "2024-05-01 12:00:00.5", "2024-05-01 12:00;00"}) {
    CAPTURE(std::string(text));
    CHECK_FALSE(parse_eve_time(text).has_value());
  }
}

TEST_CASE("parse_eve_time rejects impossible dates and times") {
  for (const char* text :
       {"2024-02-30 12:00", "2023-02-29 00:00", "2024-13-01 00:00", "2024-00-10 00:00", "2024-04-31 00:00",
        "2024-05-00 00:00", "2024-05-01 24:00", "2024-05-01 23:60", "2024-05-01 23:59:60"}) {
    CAPTURE(std::string(text));
    CHECK_FALSE(parse_eve_time(text).has_value());
  }
}

TEST_CASE("parse_eve_time reads UTC") {
  CHECK(parse_eve_time("1970-01-01 00:00") == 0);
  CHECK(parse_eve_time("2003-05-06 00:00") == 1052179200);
  CHECK(parse_eve_time("2020-02-25 20:32") == 1582662720);
  CHECK(parse_eve_time("2020-02-25T20:32") == 1582662720);
  CHECK(parse_eve_time("2020-02-25 20:32:37") == 1582662757);
  CHECK(parse_eve_time("2024-02-29 23:59") == 1709251140);
}

TEST_CASE("formatting round-trips through parsing") {
  for (long long time : {0LL, 1052179200LL, 1582662757LL, 1709251140LL, 4102444799LL}) {
    CAPTURE(time);
    auto text = format_eve_time(time);
    CHECK(parse_eve_time(text) == time - time % 60);
  }
  CHECK(format_eve_time(1582662757) == "2020-02-25 20:32");
  CHECK(format_iso8601(1582662757) == "2020-02-25T20:32:37Z");
  CHECK(format_iso8601(0) == "1970-01-01T00:00:00Z");
}

TEST_CASE("unix_now is the current time") {
  // 2024-01-01 is safely in the past and 2100 safely in the future.
  CHECK(unix_now() > 1704067200);
  CHECK(unix_now() < 4102444800);
}
