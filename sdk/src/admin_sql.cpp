// admin_sql_list: the list page of a model admin over SQL. The SQL text
// comes only from the plugin's AdminSqlList; search words and filter values
// are bound parameters, the sort expression is looked up by column key, and
// LIMIT and OFFSET are integers the host has already range-checked.
#include <soci/soci.h>

#include <algorithm>
#include <deque>
#include <sstream>
#include <stdexcept>

#include "aa/admin.hpp"

namespace aa {
namespace {

// At most this many search words are used; the rest are ignored.
constexpr std::size_t kMaxSearchWords = 10;

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream stream(text);
  std::string word;
  while (stream >> word && words.size() < kMaxSearchWords) words.push_back(word);
  return words;
}

// A LIKE pattern for a substring match, with "!" as the escape character so
// "%" and "_" in the search text match themselves on both databases.
std::string like_pattern(const std::string& word) {
  std::string pattern = "%";
  for (char c : word) {
    if (c == '%' || c == '_' || c == '!') pattern.push_back('!');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

std::string cell_text(const soci::row& row, std::size_t column) {
  if (row.get_indicator(column) == soci::i_null) return {};
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_string: return row.get<std::string>(column);
    case soci::dt_integer: return std::to_string(row.get<int>(column));
    case soci::dt_long_long: return std::to_string(row.get<long long>(column));
    case soci::dt_unsigned_long_long: return std::to_string(row.get<unsigned long long>(column));
    case soci::dt_double: {
      std::ostringstream text;
      text << row.get<double>(column);
      return text.str();
    }
    default: return {};
  }
}

long long cell_integer(const soci::row& row, std::size_t column) {
  switch (row.get_properties(column).get_data_type()) {
    case soci::dt_integer: return row.get<int>(column);
    case soci::dt_long_long: return row.get<long long>(column);
    case soci::dt_unsigned_long_long: return static_cast<long long>(row.get<unsigned long long>(column));
    case soci::dt_string: return std::stoll(row.get<std::string>(column));
    default: throw std::runtime_error("the admin list's id column is not an integer");
  }
}

// The WHERE clause and the values it binds, in order of their placeholders.
struct Condition {
  std::string sql;
  std::deque<std::string> texts;
  std::deque<long long> integers;
  std::vector<std::pair<bool, std::size_t>> order;  // (is_integer, index) per placeholder
};

Condition build_condition(const AdminSqlList& spec, const AdminListQuery& query) {
  Condition condition;
  std::vector<std::string> parts;
  if (!spec.where.empty()) parts.push_back("(" + spec.where + ")");

  if (!spec.search_expressions.empty()) {
    for (const auto& word : split_words(query.search)) {
      std::string any;
      for (const auto& expression : spec.search_expressions) {
        if (!any.empty()) any += " OR ";
        any += "LOWER(" + expression + ") LIKE LOWER(:p" + std::to_string(condition.order.size()) + ") ESCAPE '!'";
        condition.texts.push_back(like_pattern(word));
        condition.order.emplace_back(false, condition.texts.size() - 1);
      }
      parts.push_back("(" + any + ")");
    }
  }

  for (const auto& [key, expression] : spec.filters) {
    auto chosen = query.filters.find(key);
    if (chosen == query.filters.end()) continue;
    bool integer = std::find(spec.integer_filters.begin(), spec.integer_filters.end(), key) != spec.integer_filters.end();
    std::string placeholder = ":p" + std::to_string(condition.order.size());
    if (integer) {
      condition.integers.push_back(std::stoll(chosen->second));
      condition.order.emplace_back(true, condition.integers.size() - 1);
    } else {
      condition.texts.push_back(chosen->second);
      condition.order.emplace_back(false, condition.texts.size() - 1);
    }
    auto at = expression.find("{value}");
    if (at == std::string::npos) {
      parts.push_back(expression + " = " + placeholder);
    } else {
      parts.push_back("(" + std::string(expression).replace(at, 7, placeholder) + ")");
    }
  }

  for (const auto& part : parts) condition.sql += (condition.sql.empty() ? " WHERE " : " AND ") + part;
  return condition;
}

void bind(soci::statement& statement, Condition& condition) {
  for (const auto& [is_integer, index] : condition.order) {
    if (is_integer) {
      statement.exchange(soci::use(condition.integers[index]));
    } else {
      statement.exchange(soci::use(condition.texts[index]));
    }
  }
}

std::string order_clause(const AdminSqlList& spec, const AdminListQuery& query) {
  for (const auto& [key, expression] : spec.columns) {
    if (key == query.order_by) {
      std::string direction = query.descending ? " DESC" : " ASC";
      return " ORDER BY " + expression + direction + ", " + spec.id_expression + direction;
    }
  }
  return " ORDER BY " + spec.id_expression;
}

AdminListPage run_list(const AdminSqlList& spec, Request& request, const AdminListQuery& query) {
  auto& sql = request.db();
  AdminListPage page;

  {
    Condition condition = build_condition(spec, query);
    soci::statement count(sql);
    bind(count, condition);
    count.exchange(soci::into(page.total));
    count.alloc();
    count.prepare("SELECT COUNT(*) FROM " + spec.from + condition.sql);
    count.define_and_bind();
    count.execute(true);
  }

  std::string select = "SELECT " + spec.id_expression;
  for (const auto& column : spec.columns) select += ", " + column.second;
  long long limit = std::clamp<long long>(query.limit, 1, 10000);
  long long offset = std::max<long long>(query.offset, 0);
  Condition condition = build_condition(spec, query);
  soci::row row;
  soci::statement rows(sql);
  bind(rows, condition);
  rows.exchange(soci::into(row));
  rows.alloc();
  rows.prepare(select + " FROM " + spec.from + condition.sql + order_clause(spec, query) + " LIMIT " +
               std::to_string(limit) + " OFFSET " + std::to_string(offset));
  rows.define_and_bind();
  rows.execute(false);
  while (rows.fetch()) {
    AdminListRow out;
    out.id = cell_integer(row, 0);
    for (std::size_t column = 1; column < row.size(); ++column) out.cells.push_back(cell_text(row, column));
    page.rows.push_back(std::move(out));
  }
  return page;
}

}  // namespace

std::function<AdminListPage(Request&, const AdminListQuery&)> admin_sql_list(AdminSqlList spec) {
  return [spec = std::move(spec)](Request& request, const AdminListQuery& query) {
    return run_list(spec, request, query);
  };
}

}  // namespace aa
