#include "tasks/db_backend.hpp"

#include <soci/soci.h>

#include "auth/crypto.hpp"
#include "db/database.hpp"

namespace aa::core {
namespace {

std::string outcome_name(TaskOutcome outcome) {
  switch (outcome) {
    case TaskOutcome::succeeded: return "succeeded";
    case TaskOutcome::retried: return "retried";
    case TaskOutcome::failed: return "failed";
  }
  return "failed";
}

// "queue IN (:q0, :q1, ...)" for `count` queue names bound one by one.
std::string queue_filter(std::size_t count) {
  std::string text = "queue IN (";
  for (std::size_t i = 0; i < count; ++i) text += (i ? ", :q" : ":q") + std::to_string(i);
  return text + ")";
}

TaskMessage read_row(const soci::row& row) {
  TaskMessage message;
  message.id = std::to_string(row_int(row, 0));
  message.name = row_string(row, 1);
  message.args = row_string(row, 2);
  message.priority = static_cast<int>(row_int(row, 3));
  message.queue = row_string(row, 4);
  message.attempt = static_cast<int>(row_int(row, 5));
  message.deliveries = static_cast<int>(row_int(row, 6));
  message.max_retries = static_cast<int>(row_int(row, 7));
  message.retry_pause_seconds = row_int(row, 8);
  message.once_key = row_string(row, 9);
  message.chain = row_string(row, 10);
  message.eta_ms = row_int(row, 11);
  message.enqueued_ms = row_int(row, 12);
  return message;
}

constexpr const char* kColumns =
    "id, task_name, args, priority, queue, attempt, deliveries, max_retries, retry_pause_seconds, once_key, chain, "
    "visible_at_ms, enqueued_ms";

long long id_of(const ClaimedTask& task) { return std::stoll(task.message.id); }

}  // namespace

DbTaskBackend::DbTaskBackend(aa::Database& database, BackendSettings settings)
    : database_(database), settings_(settings) {}

std::optional<std::string> DbTaskBackend::enqueue(TaskMessage message) {
  // A view or task that holds its own connection leases a second one here.
  // The config check keeps the pool larger than the threads that do this.
  soci::session sql(database_.pool());
  soci::indicator once_indicator = message.once_key.empty() ? soci::i_null : soci::i_ok;
  // Two tries: the task holding the only-once key may finish between the
  // failed insert and the look at its row, which frees the key.
  for (int attempt = 0;; ++attempt) {
    try {
      sql << "INSERT INTO task_queue (task_name, args, priority, queue, attempt, deliveries, max_retries, "
             "retry_pause_seconds, once_key, chain, visible_at_ms, enqueued_ms) "
             "VALUES (:name, :args, :priority, :queue, :attempt, 0, :max_retries, :pause, :once, :chain, :eta, :now)",
          soci::use(message.name), soci::use(message.args), soci::use(message.priority), soci::use(message.queue),
          soci::use(message.attempt), soci::use(message.max_retries), soci::use(message.retry_pause_seconds),
          soci::use(message.once_key, once_indicator), soci::use(message.chain), soci::use(message.eta_ms),
          soci::use(message.enqueued_ms);
      break;
    } catch (const soci::soci_error&) {
      // The UNIQUE index on once_key turns a second only-once enqueue into
      // an error; any other error is passed on.
      if (message.once_key.empty()) throw;
      if (key_held(sql, message.once_key)) return std::nullopt;
      if (attempt > 0) throw;
    }
  }
  long long id = 0;
  if (!sql.get_last_insert_id("task_queue", id)) throw std::runtime_error("the new task row has no id");
  wake_up();
  return std::to_string(id);
}

bool DbTaskBackend::key_held(soci::session& sql, const std::string& once_key) {
  // A running holder may have read its data before this enqueue, so it is
  // asked to run once more when it finishes. A waiting one reads it later.
  sql << "UPDATE task_queue SET rerun_requested = 1 WHERE once_key = :key AND claim_token IS NOT NULL",
      soci::use(once_key);
  int held = 0;
  sql << "SELECT COUNT(*) FROM task_queue WHERE once_key = :key", soci::use(once_key), soci::into(held);
  return held > 0;
}

std::optional<long long> DbTaskBackend::pick_sqlite(soci::session& sql, const std::vector<std::string>& queues,
                                                    const std::string& token, long long now) {
  // One statement, so SQLite's write lock makes it atomic across processes.
  long long lease_end = now + settings_.visibility_timeout.count();
  soci::statement statement =
      (sql.prepare << "UPDATE task_queue SET claim_token = :token, visible_at_ms = :lease_end, "
                      "deliveries = deliveries + 1 WHERE id = (SELECT id FROM task_queue WHERE " +
                          queue_filter(queues.size()) +
                          " AND visible_at_ms <= :now ORDER BY priority, id LIMIT 1)",
       soci::use(token, "token"), soci::use(lease_end, "lease_end"), soci::use(now, "now"));
  for (std::size_t i = 0; i < queues.size(); ++i) statement.exchange(soci::use(queues[i], "q" + std::to_string(i)));
  statement.define_and_bind();
  statement.execute(true);
  if (statement.get_affected_rows() == 0) return std::nullopt;
  long long id = 0;
  sql << "SELECT id FROM task_queue WHERE claim_token = :token", soci::use(token), soci::into(id);
  if (!sql.got_data()) return std::nullopt;
  return id;
}

std::optional<long long> DbTaskBackend::pick_mysql(soci::session& sql, const std::vector<std::string>& queues,
                                                   const std::string& token, long long now) {
  // READ COMMITTED keeps InnoDB from holding locks on the rows the scan
  // passes over, and SKIP LOCKED lets concurrent claimers pass the row
  // another one is taking (MariaDB 10.6 and later).
  sql << "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
  soci::transaction transaction(sql);
  long long id = 0;
  soci::statement select =
      (sql.prepare << "SELECT id FROM task_queue WHERE " + queue_filter(queues.size()) +
                          " AND visible_at_ms <= :now ORDER BY priority, id LIMIT 1 FOR UPDATE SKIP LOCKED",
       soci::into(id), soci::use(now, "now"));
  for (std::size_t i = 0; i < queues.size(); ++i) select.exchange(soci::use(queues[i], "q" + std::to_string(i)));
  select.define_and_bind();
  if (!select.execute(true)) {
    transaction.rollback();
    return std::nullopt;
  }
  long long lease_end = now + settings_.visibility_timeout.count();
  sql << "UPDATE task_queue SET claim_token = :token, visible_at_ms = :lease_end, deliveries = deliveries + 1 "
         "WHERE id = :id",
      soci::use(token), soci::use(lease_end), soci::use(id);
  transaction.commit();
  return id;
}

std::optional<ClaimedTask> DbTaskBackend::claim(const std::vector<std::string>& queues) {
  if (queues.empty()) return std::nullopt;
  soci::session sql(database_.pool());
  auto token = random_token(16);
  long long now = settings_.clock_ms();
  auto id = database_.dialect() == Dialect::mysql ? pick_mysql(sql, queues, token, now)
                                                   : pick_sqlite(sql, queues, token, now);
  if (!id) return std::nullopt;

  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT ") + kColumns + " FROM task_queue WHERE id = :id AND claim_token = :token",
       soci::use(*id), soci::use(token));
  for (const auto& row : rows) return ClaimedTask{read_row(row), token};
  return std::nullopt;
}

void DbTaskBackend::wait_for_work(const std::vector<std::string>&, std::chrono::milliseconds timeout) {
  // Tasks enqueued in this process wake the waiters at once; tasks from
  // other processes are found at the next poll.
  std::unique_lock lock(wake_mutex_);
  auto generation = wake_generation_;
  wake_.wait_for(lock, timeout, [&] { return wake_generation_ != generation; });
}

void DbTaskBackend::wake_up() {
  {
    std::lock_guard lock(wake_mutex_);
    ++wake_generation_;
  }
  wake_.notify_all();
}

bool DbTaskBackend::renew(const ClaimedTask& task) {
  soci::session sql(database_.pool());
  long long lease_end = settings_.clock_ms() + settings_.visibility_timeout.count();
  long long id = id_of(task);
  soci::statement statement = (sql.prepare << "UPDATE task_queue SET visible_at_ms = :lease_end "
                                              "WHERE id = :id AND claim_token = :token",
                               soci::use(lease_end), soci::use(id), soci::use(task.claim));
  statement.execute(true);
  return statement.get_affected_rows() > 0;
}

bool DbTaskBackend::finish(const ClaimedTask& task) {
  soci::session sql(database_.pool());
  long long id = id_of(task);
  soci::statement remove =
      (sql.prepare << "DELETE FROM task_queue WHERE id = :id AND claim_token = :token AND rerun_requested = 0",
       soci::use(id), soci::use(task.claim));
  remove.execute(true);
  if (remove.get_affected_rows() > 0) return true;

  // An enqueue during the run asked for another run: the row becomes a
  // fresh task, ready now, keeping its only-once key. Its chain was sent
  // after this run, so it is not sent again.
  long long now = settings_.clock_ms();
  soci::statement rerun =
      (sql.prepare << "UPDATE task_queue SET rerun_requested = 0, attempt = 1, deliveries = 0, chain = '', "
                      "claim_token = NULL, visible_at_ms = :now, enqueued_ms = :now2 "
                      "WHERE id = :id AND claim_token = :token AND rerun_requested = 1",
       soci::use(now), soci::use(now), soci::use(id), soci::use(task.claim));
  rerun.execute(true);
  bool rerun_queued = rerun.get_affected_rows() > 0;
  if (rerun_queued) wake_up();
  return rerun_queued;
}

bool DbTaskBackend::requeue(const ClaimedTask& task, const TaskMessage& updated) {
  soci::session sql(database_.pool());
  long long id = id_of(task);
  soci::statement statement =
      (sql.prepare << "UPDATE task_queue SET attempt = :attempt, deliveries = :deliveries, visible_at_ms = :eta, "
                      "claim_token = NULL, rerun_requested = 0 WHERE id = :id AND claim_token = :token",
       soci::use(updated.attempt), soci::use(updated.deliveries), soci::use(updated.eta_ms), soci::use(id),
       soci::use(task.claim));
  statement.execute(true);
  bool requeued = statement.get_affected_rows() > 0;
  if (requeued) wake_up();
  return requeued;
}

void DbTaskBackend::maintain() {
  // Due and expired rows need no moving here: the claim query reads
  // visible_at_ms. What remains is dropping old tick and statistics rows,
  // once a minute.
  long long now = settings_.clock_ms();
  if (now - last_cleanup_ms_ < 60000) return;
  last_cleanup_ms_ = now;
  soci::session sql(database_.pool());
  long long tick_cutoff = now / 1000 - 86400;
  long long minute_cutoff = (now / 1000 - std::chrono::seconds(settings_.statistics_hours).count()) / 60;
  sql << "DELETE FROM task_schedule_ticks WHERE tick < :cutoff", soci::use(tick_cutoff);
  sql << "DELETE FROM task_statistics WHERE minute < :cutoff", soci::use(minute_cutoff);
}

bool DbTaskBackend::claim_tick(const std::string& entry, long long tick_unix_seconds) {
  soci::session sql(database_.pool());
  try {
    sql << "INSERT INTO task_schedule_ticks (entry, tick) VALUES (:entry, :tick)", soci::use(entry),
        soci::use(tick_unix_seconds);
    return true;
  } catch (const soci::soci_error&) {
    int taken = 0;
    sql << "SELECT COUNT(*) FROM task_schedule_ticks WHERE entry = :entry AND tick = :tick", soci::use(entry),
        soci::use(tick_unix_seconds), soci::into(taken);
    if (taken > 0) return false;
    throw;
  }
}

QueueLength DbTaskBackend::queue_length() {
  soci::session sql(database_.pool());
  long long now = settings_.clock_ms();
  QueueLength length;
  sql << "SELECT COUNT(*) FROM task_queue WHERE claim_token IS NULL AND visible_at_ms <= :now", soci::use(now),
      soci::into(length.waiting);
  sql << "SELECT COUNT(*) FROM task_queue WHERE claim_token IS NULL AND visible_at_ms > :now", soci::use(now),
      soci::into(length.delayed);
  sql << "SELECT COUNT(*) FROM task_queue WHERE claim_token IS NOT NULL", soci::into(length.running);
  return length;
}

void DbTaskBackend::record(const std::string& task, TaskOutcome outcome) {
  soci::session sql(database_.pool());
  long long minute = unix_now() / 60;
  auto name = outcome_name(outcome);
  if (database_.dialect() == Dialect::mysql) {
    sql << "INSERT INTO task_statistics (minute, task_name, outcome, runs) VALUES (:minute, :task, :outcome, 1) "
           "ON DUPLICATE KEY UPDATE runs = runs + 1",
        soci::use(minute), soci::use(task), soci::use(name);
  } else {
    sql << "INSERT INTO task_statistics (minute, task_name, outcome, runs) VALUES (:minute, :task, :outcome, 1) "
           "ON CONFLICT (minute, task_name, outcome) DO UPDATE SET runs = runs + 1",
        soci::use(minute), soci::use(task), soci::use(name);
  }
}

std::vector<TaskCounts> DbTaskBackend::statistics(long long since_unix_seconds) {
  soci::session sql(database_.pool());
  long long first_minute = since_unix_seconds / 60;
  std::vector<TaskCounts> counts;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT task_name, outcome, SUM(runs) FROM task_statistics WHERE minute >= :minute "
                      "GROUP BY task_name, outcome ORDER BY task_name",
       soci::use(first_minute));
  for (const auto& row : rows) {
    auto task = row_string(row, 0);
    if (counts.empty() || counts.back().task != task) counts.push_back({task});
    auto outcome = row_string(row, 1);
    long long runs = row_int(row, 2);
    if (outcome == "succeeded") counts.back().succeeded += runs;
    if (outcome == "retried") counts.back().retried += runs;
    if (outcome == "failed") counts.back().failed += runs;
  }
  return counts;
}

}  // namespace aa::core
