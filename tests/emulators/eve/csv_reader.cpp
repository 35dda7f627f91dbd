#include "csv_reader.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace aa::eve {

namespace {

// Splits the text into records of fields; a quoted field may hold commas,
// quotes and line breaks.
std::vector<std::vector<std::string>> split_records(std::string_view text) {
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> fields;
    std::string field;
    bool in_quotes = false;
    std::size_t line = 1;

    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_quotes) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                in_quotes = false;
            } else {
                line += c == '\n' ? 1 : 0;
                field += c;
            }
        } else if (c == '"') {
            in_quotes = true;
        } else if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
                ++i;
            }
            fields.push_back(std::move(field));
            field.clear();
            records.push_back(std::move(fields));
            fields.clear();
            ++line;
        } else {
            field += c;
        }
    }

    if (in_quotes) {
        throw std::runtime_error("unterminated quoted field before line " + std::to_string(line));
    }
    if (!field.empty() || !fields.empty()) {
        fields.push_back(std::move(field));
        records.push_back(std::move(fields));
    }
    return records;
}

}  // namespace

std::vector<CsvRow> parse_csv(std::string_view text) {
    auto records = split_records(text);
    std::vector<CsvRow> rows;
    if (records.empty()) {
        return rows;
    }

    const auto& header = records.front();
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& record = records[r];
        if (record.size() == 1 && record.front().empty()) {
            continue;  // blank line
        }
        if (record.size() != header.size()) {
            throw std::runtime_error("record " + std::to_string(r + 1) + " has " +
                                     std::to_string(record.size()) + " fields, the header has " +
                                     std::to_string(header.size()));
        }
        CsvRow row;
        for (std::size_t i = 0; i < header.size(); ++i) {
            row[header[i]] = record[i];
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<CsvRow> read_csv_file(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw std::runtime_error("cannot read " + path.string());
    }
    std::ostringstream text;
    text << file.rdbuf();
    try {
        return parse_csv(text.str());
    } catch (const std::runtime_error& error) {
        throw std::runtime_error(path.string() + ": " + error.what());
    }
}

}  // namespace aa::eve
