// The matcher background workers of deferred matching. With pg_dedupe in
// shared_preload_libraries the postmaster starts one "pg_dedupe launcher" (connected to no
// database). It starts a "pg_dedupe matcher" for a database (one at a time per database, at
// most dedupe.match_workers in all) when a transaction that queued records commits there, once
// for every database when it starts (after a crash: the queue is a table), and every
// dedupe.max_match_delay / 2 for the databases it served since. A matcher takes batches of
// dedupe.match_batch_size records until the queue is empty, waits a second for more, and
// leaves the database (so DROP DATABASE is never held up by it).
#pragma once

#include "pg/guard.hpp"

namespace dedupe::pg {

// The dedupe.max_match_delay, dedupe.match_databases, dedupe.match_workers and
// dedupe.match_batch_size settings (every backend defines them).
void define_matching_settings();

// Shared memory and the launcher; only while shared_preload_libraries is being processed.
void register_matcher();

// A transaction that queued records committed in `database`: wakes its matcher or the launcher.
// Safe in a commit callback (no allocation, no error); a no-op without the preloaded library.
void wake_matcher(Oid database) noexcept;

}  // namespace dedupe::pg
