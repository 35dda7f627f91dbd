// aa/text.hpp: the text checks core and plugins validate form input with.
#include <doctest/doctest.h>

#include "aa/text.hpp"

using namespace aa::text;

TEST_CASE("text: trim removes blanks at both ends") {
  CHECK(trim("  Jita \t\r\n") == "Jita");
  CHECK(trim("Jita IV") == "Jita IV");
  CHECK(trim(" \n ") == "");
}

TEST_CASE("text: utf8_length counts code points") {
  CHECK(utf8_length("") == 0u);
  CHECK(utf8_length("Jita") == 4u);
  CHECK(utf8_length("Ämarr") == 5u);             // 2-byte sequence
  CHECK(utf8_length("吉他") == 2u);              // 3-byte sequences
  CHECK(utf8_length("\xF0\x9F\x9A\x80") == 1u);  // U+1F680, 4 bytes
}

TEST_CASE("text: utf8_length rejects invalid sequences") {
  for (std::string text :
       {std::string("\x80"), std::string("a\xC3"), std::string("\xC0\xAF"), std::string("\xE0\x80\xAF"),
        std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80"), std::string("\xFF"), std::string("\xE4\xB8")}) {
    CAPTURE(text.size());
    CHECK_FALSE(utf8_length(text).has_value());
  }
}

TEST_CASE("text: has_control_characters allows line breaks only when asked") {
  CHECK_FALSE(has_control_characters("two\r\nlines\tand a tab", true));
  CHECK(has_control_characters("bell\a", true));
  CHECK(has_control_characters(std::string("nul\0", 4), true));
}

TEST_CASE("text: has_control_characters finds C0 and DEL") {
  CHECK(has_control_characters("line\nbreak"));
  CHECK(has_control_characters("tab\there"));
  CHECK(has_control_characters(std::string("nul\0", 4)));
  CHECK(has_control_characters("del\x7F"));
  CHECK_FALSE(has_control_characters("<script>alert('x')</script> & ümlaut"));
}

TEST_CASE("text: shorten cuts at a character boundary") {
  CHECK(shorten("Jita", 40) == "Jita");
  CHECK(shorten("abcdef", 3) == "abc…");
  CHECK(shorten("吉他吉他", 2) == "吉他…");
}

TEST_CASE("text: fill fills named placeholders") {
  CHECK(fill("Added new timer in {system} at {time}.", {{"system", "Jita"}, {"time", "2024-05-01 12:00"}}) ==
        "Added new timer in Jita at 2024-05-01 12:00.");
  CHECK(fill("{a} and {a}", {{"a", "x"}}) == "x and x");
  CHECK(fill("{a}", {{"a", "{a}"}}) == "{a}");
  CHECK(fill("{unknown} stays", {{"a", "x"}}) == "{unknown} stays");
}

TEST_CASE("text: shorten counts an invalid byte as one character") {
  CHECK(shorten("\xFF\xFE\xFD" "abc", 2) == "\xFF\xFE…");
}

TEST_CASE("text: times are shown in UTC") {
  CHECK(format_eve_time(1582662757) == "2020-02-25 20:32");
  CHECK(format_iso8601(1582662757) == "2020-02-25T20:32:37Z");
  CHECK(format_iso8601(0) == "1970-01-01T00:00:00Z");
  CHECK(format_eve_time(-60) == "1969-12-31 23:59");
}

TEST_CASE("text: parse_id takes 1 to 18 digits greater than zero") {
  CHECK(parse_id("1") == 1);
  CHECK(parse_id("2112000001") == 2112000001LL);
  CHECK(parse_id("999999999999999999") == 999999999999999999LL);
  for (std::string bad : {"", "0", "000", "-1", "+1", " 1", "1 ", "1e3", "0x10", "1234567890123456789", "١"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_id(bad).has_value());
  }
}
