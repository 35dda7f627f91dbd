// Reading and writing timers. Every function takes the caller's session, so
// a view runs on the connection it leased for the request and a caller may
// wrap several calls in one transaction.
//
// Visibility: a timer with corp_timer set is returned only to a viewer whose
// main character is in the timer's corporation. Callers pass that
// corporation id, or 0 for a viewer without a main character; timers never
// have corporation 0 (insert_timer rejects it).
#pragma once

#include <optional>
#include <vector>

#include "timer.hpp"

namespace soci {
class session;
}

namespace timerboard {

/// Inserts `timer` and sets timer.id. Throws std::invalid_argument when the
/// creator's character or corporation id is not positive, and soci::soci_error
/// when the database fails.
void insert_timer(soci::session& sql, Timer& timer);

/// Writes the editable fields of timer `timer.id` (details through
/// corp_timer) and sets updated_at to `now`. The creator columns stay as
/// they are. Updating a timer that does not exist changes nothing.
void update_timer(soci::session& sql, const Timer& timer, long long now);

/// Deletes timer `id`; returns false when there was none.
bool delete_timer(soci::session& sql, long long id);

/// Timer `id`, when it exists and `viewer_corporation_id` may see it.
std::optional<Timer> find_timer(soci::session& sql, long long id, long long viewer_corporation_id);

/// Visible timers with eve_time >= `now`, soonest first.
std::vector<Timer> upcoming_timers(soci::session& sql, long long viewer_corporation_id, long long now);

/// Visible timers with `since` <= eve_time < `now`, newest first.
std::vector<Timer> past_timers(soci::session& sql, long long viewer_corporation_id, long long now, long long since);

/// Empties the creator user id of every timer of `user_id`, as upstream's
/// on_delete=SET_NULL does; returns how many timers changed.
long long forget_user(soci::session& sql, long long user_id);

}  // namespace timerboard
