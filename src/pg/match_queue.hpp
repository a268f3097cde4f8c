// Deferred matching's queue (dedupe.match_queue): the flush of a deferred source's rows puts
// their records here instead of matching them; a batch is taken with DELETE ... FOR UPDATE
// SKIP LOCKED and matched by match_staged_records() in the same transaction, so a crash rolls
// the batch back into the queue and no record is matched twice or lost.
#pragma once

#include <string>
#include <vector>

#include "pg/golden_match.hpp"

namespace dedupe::pg {

// Queues the staged records of deferred sources (inside the flush's SPI connection, with the
// owner's rights). At commit the matcher worker of this database is woken.
void enqueue_for_matching(const std::vector<StagedMatch>& staged);

// Takes up to `limit` of the oldest queued records no other session holds and matches them in
// the current transaction; returns how many it took.
int match_queued_batch(int limit);

// The attempts after which a record the worker cannot match is set aside (take_batch; the
// matching_lag view and the comments of control/sql/85_deferred_matching.sql say 3 too).
constexpr int kMaxMatchAttempts = 3;

// After the transaction of this backend's last batch rolled back: in a new transaction, counts
// an attempt for each of its records and keeps the error; warns of those set aside.
void count_failed_attempt(const std::string& error);

}  // namespace dedupe::pg
