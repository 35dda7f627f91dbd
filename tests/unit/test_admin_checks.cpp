// The checks a model admin passes when a plugin registers it, and the
// change messages the history stores.
#include <doctest/doctest.h>

#include "admin/admin_checks.hpp"
#include "admin/admin_history.hpp"

using namespace aa;
using aa::core::check_admin_action;
using aa::core::check_admin_hook;

namespace {

AdminHook valid_hook() {
  AdminHook hook;
  hook.app_label = "fleets";
  hook.model_name = "fleet";
  hook.verbose_name = "fleet";
  hook.verbose_name_plural = "fleets";
  hook.columns = {{"name", "Name"}, {"size", "Size"}};
  hook.default_order = "-size";
  hook.fields = {{.name = "name", .label = "Name"}};
  hook.list = [](Request&, const AdminListQuery&) { return AdminListPage{}; };
  hook.load = [](Request&, long long) { return std::optional<AdminObject>(); };
  hook.actions = {{.name = "ping", .label = "Ping", .run = [](Request&, const std::vector<long long>&) {
                     return AdminActionResult{};
                   }}};
  return hook;
}

// The message of the std::invalid_argument that check_admin_hook throws, or "".
std::string problem_of(const AdminHook& hook) {
  try {
    check_admin_hook(hook);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("admin checks: a complete hook passes") { CHECK(problem_of(valid_hook()).empty()); }

TEST_CASE("admin checks: bad hooks name the model and the problem") {
  auto hook = valid_hook();
  hook.model_name = "Fleet";
  CHECK(contains(problem_of(hook), "'fleets.Fleet' must be app_label.model_name"));

  hook = valid_hook();
  hook.app_label = "fleets; DROP";
  CHECK(contains(problem_of(hook), "must be app_label.model_name"));

  hook = valid_hook();
  hook.list = nullptr;
  CHECK(contains(problem_of(hook), "fleets.fleet needs list and load functions"));

  hook = valid_hook();
  hook.load = nullptr;
  CHECK(contains(problem_of(hook), "needs list and load functions"));

  hook = valid_hook();
  hook.verbose_name_plural.clear();
  CHECK(contains(problem_of(hook), "needs verbose_name and verbose_name_plural"));

  hook = valid_hook();
  hook.page_size = 0;
  CHECK(contains(problem_of(hook), "page size 0"));
  hook.page_size = 1001;
  CHECK(contains(problem_of(hook), "page size 1001"));

  hook = valid_hook();
  hook.columns.clear();
  hook.default_order.clear();
  CHECK(contains(problem_of(hook), "has no list columns"));

  hook = valid_hook();
  hook.columns.push_back({"name", "Name again"});
  CHECK(contains(problem_of(hook), "two columns named 'name'"));

  hook = valid_hook();
  hook.default_order = "-password";
  CHECK(contains(problem_of(hook), "orders by 'password', which is not a column"));

  hook = valid_hook();
  hook.filters = {{"size class", "Size"}};
  CHECK(contains(problem_of(hook), "filter named 'size class'"));

  hook = valid_hook();
  hook.fields.push_back({.name = "name", .label = "Name"});
  CHECK(contains(problem_of(hook), "two fields named 'name'"));

  hook = valid_hook();
  hook.actions.push_back(hook.actions.front());
  CHECK(contains(problem_of(hook), "two actions named 'ping'"));
}

TEST_CASE("admin checks: actions need a name, a label and a run function") {
  auto action = valid_hook().actions.front();
  CHECK_NOTHROW(check_admin_action(action));

  auto unnamed = action;
  unnamed.name = "Sync-Nickname";
  CHECK_THROWS_WITH_AS(check_admin_action(unnamed),
                       "admin action 'Sync-Nickname' must be named in lower case letters, digits and _",
                       std::invalid_argument);
  auto unlabelled = action;
  unlabelled.label.clear();
  CHECK_THROWS_WITH_AS(check_admin_action(unlabelled), "admin action ping has no label", std::invalid_argument);
  auto idle = action;
  idle.run = nullptr;
  CHECK_THROWS_WITH_AS(check_admin_action(idle), "admin action ping has no run function", std::invalid_argument);
}

TEST_CASE("admin history: change messages read back as written") {
  std::vector<core::FieldChange> changes{
      {.field = "is_active", .label = "Active", .is_boolean = true, .before = {"1"}, .after = {"0"}},
      {.field = "groups", .label = "Groups", .is_list = true, .before = {"CEO"}, .after = {"Scouts", "\"Quoted\""}},
  };
  auto read = core::parse_field_changes(core::change_message_for(changes));
  REQUIRE(read.size() == 2);
  CHECK(read[0].field == "is_active");
  CHECK(read[0].is_boolean);
  CHECK(read[0].before == std::vector<std::string>{"1"});
  CHECK(read[1].is_list);
  CHECK(read[1].after == std::vector<std::string>{"Scouts", "\"Quoted\""});

  CHECK(core::parse_action_label(core::action_message_for("Sync nickname")) == "Sync nickname");
  CHECK(core::parse_field_changes("not json").empty());
  CHECK(core::parse_field_changes("{\"fields\": 5}").empty());
  CHECK(core::parse_action_label("[]").empty());
}

TEST_CASE("admin history: long values and long lists are cut") {
  core::FieldChange change{.field = "notes", .label = "Notes", .before = {std::string(300, 'a')}};
  for (int i = 0; i < 150; ++i) change.after.push_back(std::to_string(i));
  auto read = core::parse_field_changes(core::change_message_for({change}));
  REQUIRE(read.size() == 1);
  CHECK(read[0].before.front().size() == 200 + 3);  // 200 bytes and "…"
  CHECK(read[0].before.front().ends_with("\xE2\x80\xA6"));
  CHECK(read[0].after.size() == 101);
  CHECK(read[0].after.back() == "\xE2\x80\xA6");
}
