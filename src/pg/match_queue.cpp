#include "pg/match_queue.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "pg/match_worker.hpp"
#include "pg/owner_rights.hpp"
#include "pg/spi_session.hpp"

extern "C" {
#include "access/xact.h"
}

namespace dedupe::pg {
namespace {

// A record staged again while it waits keeps its place (queued_at) and remembers an identity
// change; the last writer is the actor.
CachedStatement enqueue(
    "INSERT INTO dedupe.match_queue AS q (record_id, actor, identity_changed) "
    "SELECT u.r::pg_catalog.int8, u.a::pg_catalog.name, u.c::pg_catalog.bool"
    "  FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]),"
    "    pg_catalog.unnest($2::pg_catalog.text[]), pg_catalog.unnest($3::pg_catalog.text[]))"
    "    AS u(r, a, c) ORDER BY 1 "
    "ON CONFLICT (record_id) DO UPDATE SET actor = EXCLUDED.actor,"
    "  identity_changed = q.identity_changed OR EXCLUDED.identity_changed",
    3);

// The oldest queued records no other matcher holds, removed in this transaction and returned in
// queue order (the order in which they were staged). A record of a batch that failed is taken
// alone, so one that cannot be matched holds up no other; after kMaxAttempts it is set aside.
// Every step is an index look-up whatever the queue holds (the retry candidates have a partial
// index; the batch is deleted by primary key): a backlog is matched in many batches, and a join
// the generic plan hashed read the whole queue for each of them.
CachedStatement take_batch(
    "WITH suspect AS MATERIALIZED (SELECT record_id FROM dedupe.match_queue"
    "   WHERE attempts OPERATOR(pg_catalog.>) 0 AND attempts OPERATOR(pg_catalog.<) "
    "$2::pg_catalog.int4"
    "   ORDER BY queued_at, record_id LIMIT 1 FOR UPDATE SKIP LOCKED),"
    " fresh AS MATERIALIZED (SELECT record_id FROM dedupe.match_queue"
    "   WHERE attempts OPERATOR(pg_catalog.=) 0 AND NOT EXISTS (SELECT FROM suspect)"
    "   ORDER BY queued_at, record_id LIMIT $1::pg_catalog.int4 FOR UPDATE SKIP LOCKED),"
    " taken AS (DELETE FROM dedupe.match_queue q"
    "           WHERE q.record_id OPERATOR(pg_catalog.=) ANY (ARRAY("
    "             SELECT record_id FROM suspect UNION ALL SELECT record_id FROM fresh))"
    "           RETURNING q.record_id, q.actor, q.identity_changed, q.queued_at)"
    " SELECT record_id, actor, identity_changed, queued_at::pg_catalog.text FROM taken"
    " ORDER BY queued_at, record_id",
    2);

// One row per batch for dedupe.matching_lag; rows older than an hour are pruned on the way.
CachedStatement record_batch(
    "WITH pruned AS (DELETE FROM dedupe.match_batches"
    "                WHERE finished_at < pg_catalog.clock_timestamp() - interval '1 hour')"
    " INSERT INTO dedupe.match_batches (records, duration, max_lag)"
    " VALUES ($1::pg_catalog.int4, $2::pg_catalog.float8 * interval '1 millisecond',"
    "         pg_catalog.clock_timestamp() - $3::pg_catalog.timestamptz)",
    3);

// A failed batch: each of its records counts an attempt, and the error is kept.
CachedStatement count_attempt(
    "UPDATE dedupe.match_queue q SET attempts = q.attempts OPERATOR(pg_catalog.+) 1,"
    "  last_error = $2"
    " WHERE q.record_id OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.int8[])"
    " RETURNING q.record_id, q.attempts::pg_catalog.int8",
    2);

// The records of the batch taken last in this backend: its transaction may roll back.
std::vector<int64_t> taken_last;

bool queued_in_transaction = false;
bool callback_registered = false;

extern "C" void on_queue_xact_event(XactEvent event, void*) noexcept {
  switch (event) {
    case XACT_EVENT_COMMIT:
    case XACT_EVENT_PARALLEL_COMMIT:
      if (queued_in_transaction) wake_matcher(MyDatabaseId);
      queued_in_transaction = false;
      break;
    case XACT_EVENT_ABORT:
    case XACT_EVENT_PARALLEL_ABORT:
    case XACT_EVENT_PREPARE:  // COMMIT PREPARED wakes no one: the worker's sweep finds them
      queued_in_transaction = false;
      break;
    default:
      break;
  }
}

std::optional<std::string> value(uint64 row, int column) {
  char* v =
      pg_call([&] { return SPI_getvalue(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, column); });
  if (!v) return std::nullopt;
  return std::string(v);
}

}  // namespace

void enqueue_for_matching(const std::vector<StagedMatch>& staged) {
  if (staged.empty()) return;
  // One row per record: ON CONFLICT cannot touch a row twice in one statement.
  std::map<int64_t, std::pair<std::string, bool>> by_record;
  for (const StagedMatch& s : staged) {
    auto [it, fresh] = by_record.try_emplace(s.record_id, s.actor, s.identity_changed);
    if (!fresh) it->second = {s.actor, it->second.second || s.identity_changed};
  }
  std::vector<std::vector<std::optional<std::string>>> columns(3);
  for (const auto& [record, what] : by_record) {
    columns[0].push_back(std::to_string(record));
    columns[1].push_back(what.first);
    columns[2].push_back(std::string(what.second ? "true" : "false"));
  }
  if (!callback_registered) {
    pg_call([] { RegisterXactCallback(on_queue_xact_event, nullptr); });
    callback_registered = true;
  }
  enqueue.run_columns(columns);
  queued_in_transaction = true;
}

int match_queued_batch(int limit) {
  const auto start = std::chrono::steady_clock::now();
  taken_last.clear();  // a failure before the next batch is taken counts against no record
  OwnerRights rights;
  SpiSession spi;
  const uint64 n = take_batch.run({std::to_string(limit), std::to_string(kMaxMatchAttempts)});
  if (n == 0) return 0;
  std::vector<StagedMatch> staged;
  staged.reserve(n);
  for (uint64 i = 0; i < n; ++i) {
    staged.push_back({std::stoll(*value(i, 1)), *value(i, 2), value(i, 3) == std::string("t")});
    taken_last.push_back(staged.back().record_id);
  }
  const std::string oldest = *value(0, 4);
  match_staged_records(staged);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  record_batch.run({std::to_string(n), std::to_string(ms), oldest});
  return static_cast<int>(n);
}

void count_failed_attempt(const std::string& error) {
  if (taken_last.empty()) return;
  OwnerRights rights;
  SpiSession spi;
  const uint64 n = count_attempt.run({int8_array_text(taken_last), error});
  taken_last.clear();
  for (uint64 i = 0; i < n; ++i) {
    if (SpiRows::int8(i, 2) != std::optional<int64_t>(kMaxMatchAttempts)) continue;
    const int64_t record = SpiRows::int8(i, 1).value();
    pg_call([&] {
      ereport(WARNING, (errmsg("pg_dedupe: record %lld set aside after %d failed attempts to match "
                               "it",
                               static_cast<long long>(record), kMaxMatchAttempts),
                        errdetail("%s", error.c_str()),
                        errhint("Mend the cause, then SELECT dedupe.retry_failed_matches().")));
    });
  }
}

}  // namespace dedupe::pg

// dedupe._match_queued(batch_size): one batch in the caller's transaction.
DEDUPE_FUNCTION(dedupe_match_queued) {
  const int32 limit = PG_GETARG_INT32(0);
  if (limit < 1 || limit > 100000)
    throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue,
                        "batch_size must be between 1 and 100000, not " + std::to_string(limit));
  return Int32GetDatum(dedupe::pg::match_queued_batch(limit));
}
