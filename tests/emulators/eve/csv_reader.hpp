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
// std::runtime_error with the line number on an unterminated quote or a
// row whose field count differs from the header's.
std::vector<CsvRow> parse_csv(std::string_view text);

// Reads and parses a file; errors name the file.
std::vector<CsvRow> read_csv_file(const std::filesystem::path& path);

}  // namespace aa::eve
