// Helpers shared by the group pages: the current user's manager role, ids
// from the path, running a group change and emitting its signals, and
// turning an action's outcome into a message or an error page.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aa/db.hpp"
#include "aa/http.hpp"
#include "app/app.hpp"
#include "app/logging.hpp"
#include "db/retry.hpp"
#include "groups/group_actions.hpp"
#include "http/request.hpp"

namespace aa::core::views::groups {

inline CoreRequest& core(Request& request) { return static_cast<CoreRequest&>(request); }

/// Fills the name, description and status cells that the rows of the groups
/// and membership pages share (group_table_head.html heads them). The status
/// is internal, hidden, open or requestable, the first that applies.
void set_group_cells(const Request& request, TemplateData& row, const core::groups::Group& group);

/// The logged-in user's manager role for this request.
core::groups::Manager manager_of(Request& request);

/// The id in the path parameter `name`; nothing when it is not a valid id.
std::optional<long long> path_id(const Request& request, std::string_view name);

/// The action's message, translated, with {group} and {user} filled in.
std::string result_text(const Request& request, const core::groups::ActionResult& result);

/// Runs `action` in one write transaction, commits it when the outcome is
/// done or pending, and then emits the events it appended. Returns what the
/// action returned. Two clicks at once can collide on MariaDB (a duplicate
/// key or a deadlock) or find SQLite busy, and a join can meet the deletion
/// of its group (a missing foreign key row). The losing transaction then
/// runs again on the winner's rows, so it ends as if it had come second.
template <typename Action>
core::groups::ActionResult run_change(CoreRequest& request, Action action) {
  constexpr int kAttempts = 3;
  std::vector<SignalEvent> events;
  core::groups::ActionResult result;
  auto& sql = request.db();
  for (int attempt = 1;; ++attempt) {
    events.clear();
    try {
      aa::WriteTransaction transaction(sql);
      result = action(sql, events);
      bool changed = result.outcome == core::groups::Outcome::done || result.outcome == core::groups::Outcome::pending;
      if (!changed) return result;
      transaction.commit();
      break;
    } catch (const soci::soci_error& error) {
      if (attempt >= kAttempts || !(is_retryable(error) || is_missing_parent(error))) throw;
      core_log().warn("group change by user {} lost a race with another request (attempt {} of {}): {}; retrying",
                      request.user() ? request.user()->id : 0, attempt, kAttempts, error.what());
    }
  }
  for (const auto& event : events) request.host().emit(event);
  return result;
}

/// Answers an outcome: an error page for forbidden (403) and not_found
/// (404), otherwise a one-time message and a redirect to `next_url`.
Response answer(CoreRequest& request, const core::groups::ActionResult& result, const std::string& next_url);

/// Sends a notification about a new request to the group's leaders when
/// groupmanagement.requests_notifications is on.
void notify_leaders(CoreRequest& request, long long group_id, const std::string& username, bool leave);

}  // namespace aa::core::views::groups
