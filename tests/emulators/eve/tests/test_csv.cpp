#include "csv_reader.hpp"

#include <doctest/doctest.h>

#include <stdexcept>

using namespace aa::eve;

TEST_CASE("csv reads quoted fields with commas and quotes") {
    auto rows = parse_csv("id,name,description\n"
                          "1,Plain,\n"
                          "2,\"Quoted, name\",\"He said \"\"hi\"\"\"\r\n"
                          "3,Multi,\"line one\nline two\"\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].at("description") == "");
    CHECK(rows[1].at("name") == "Quoted, name");
    CHECK(rows[1].at("description") == "He said \"hi\"");
    CHECK(rows[2].at("description") == "line one\nline two");
}

TEST_CASE("csv rejects a row with too few fields") {
    CHECK_THROWS_AS(parse_csv("a,b\n1\n"), std::runtime_error);
}

TEST_CASE("csv rejects an unterminated quote") {
    CHECK_THROWS_AS(parse_csv("a,b\n1,\"open\n"), std::runtime_error);
}

TEST_CASE("csv without trailing newline keeps the last row") {
    auto rows = parse_csv("a,b\n1,2");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("b") == "2");
}
