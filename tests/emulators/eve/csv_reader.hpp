// Reader for the SDE CSV files: a header row, commas, double-quoted fields
// with "" for a quote (RFC 4180).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aa::eve {

using CsvRow = std::map<std::string, std::string>;

// Parses CSV text into rows keyed by the header names. Throws
// std::runtime_error on an unterminated quote (naming the line) or on a
// record whose field count differs from the header's (naming the record).
std::vector<CsvRow> parse_csv(std::string_view text);

// Reads and parses a file. Its errors name the file.
std::vector<CsvRow> read_csv_file(const std::filesystem::path& path);

}  // namespace aa::eve
