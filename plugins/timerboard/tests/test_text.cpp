#include <doctest/doctest.h>

#include "text.hpp"

using namespace timerboard;

TEST_CASE("trim removes blanks at both ends") {
  CHECK(trim("  Jita \t\r\n") == "Jita");
  CHECK(trim("Jita IV") == "Jita IV");
  CHECK(trim(" \n ") == "");
}

TEST_CASE("utf8_length counts code points") {
  CHECK(utf8_length("") == 0u);
  CHECK(utf8_length("Jita") == 4u);
  CHECK(utf8_length("Ämarr") == 5u);             // 2-byte sequence
  CHECK(utf8_length("吉他") == 2u);              // 3-byte sequences
  CHECK(utf8_length("\xF0\x9F\x9A\x80") == 1u);  // U+1F680, 4 bytes
}

TEST_CASE("utf8_length rejects invalid sequences") {
  for (std::string text :
       {std::string("\x80"), std::string("a\xC3"), std::string("\xC0\xAF"), std::string("\xE0\x80\xAF"),
        std::string("\xED\xA0\x80"), std::string("\xF4\x90\x80\x80"), std::string("\xFF"), std::string("\xE4\xB8")}) {
    CAPTURE(text.size());
    CHECK_FALSE(utf8_length(text).has_value());
  }
}

TEST_CASE("has_control_characters finds C0 and DEL") {
  CHECK(has_control_characters("line\nbreak"));
  CHECK(has_control_characters("tab\there"));
  CHECK(has_control_characters(std::string("nul\0", 4)));
  CHECK(has_control_characters("del\x7F"));
  CHECK_FALSE(has_control_characters("<script>alert('x')</script> & ümlaut"));
}

TEST_CASE("shorten cuts at a character boundary") {
  CHECK(shorten("Jita", 40) == "Jita");
  CHECK(shorten("abcdef", 3) == "abc…");
  CHECK(shorten("吉他吉他", 2) == "吉他…");
}

TEST_CASE("format_message fills named placeholders") {
  CHECK(format_message("Added new timer in {system} at {time}.", {{"system", "Jita"}, {"time", "2024-05-01 12:00"}}) ==
        "Added new timer in Jita at 2024-05-01 12:00.");
  CHECK(format_message("{a} and {a}", {{"a", "x"}}) == "x and x");
  CHECK(format_message("{a}", {{"a", "{a}"}}) == "{a}");
  CHECK(format_message("{unknown} stays", {{"a", "x"}}) == "{unknown} stays");
}
