// The launcher and the per-database matchers of deferred matching (see match_worker.hpp).
//
// Boundary: the worker loops below are C-style code that holds no C++ object with a destructor
// across a PostgreSQL error; the matching itself is C++ and runs through call_cpp(), which
// unwinds its frames before it raises the PostgreSQL error that in_own_transaction()'s PG_TRY
// catches, logs and rolls back (run_batch()'s copy of the message lives outside that PG_TRY).
#include "pg/match_worker.hpp"

#include <cstring>

#include "pg/match_queue.hpp"
#include "pg/write_path_model.hpp"

extern "C" {
#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "commands/extension.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

PGDLLEXPORT void dedupe_matcher_launcher_main(Datum);
PGDLLEXPORT void dedupe_matcher_main(Datum);
PGDLLEXPORT void dedupe_matcher_helper_main(Datum);
}

namespace dedupe::pg {
namespace {

int max_match_delay_ms = 30000;
char* match_databases = nullptr;
int match_workers = 2;
int matchers_per_database = 1;
int match_batch_size = 500;
int model_check_interval_ms = 60000;

constexpr long kPollMs = 250;       // a live matcher looks at its queue at least this often
constexpr long kIdleExitMs = 1000;  // ... and leaves its database after this long without work
constexpr long kLauncherNapMs = 1000;

// One slot per database that has (or had) queued records since the launcher started.
constexpr int kSlots = 64;
// A database's matcher is woken at commit; while its batches come back full (a backlog), the
// launcher adds helpers, up to dedupe.matchers_per_database matchers in all, each taking its
// own batches (DELETE ... SKIP LOCKED) and leaving at the first batch that is not full.
constexpr int kMaxHelpers = 7;
struct DatabaseSlot {
  Oid database;         // InvalidOid: free
  bool pending;         // records were committed to its queue since its matcher last looked
  bool backlog;         // its matcher's last batch was full
  pid_t worker_pid;     // its matcher, 0 when none is attached
  Latch* worker_latch;  // set to wake it
  TimestampTz model_checked_at;  // when a matcher last asked whether the model is due (0: never)
};
struct MatcherShared {
  slock_t mutex;
  Latch* launcher_latch;
  bool overflow;  // a database found no free slot: the launcher looks at every database
  DatabaseSlot slots[kSlots];
};
MatcherShared* shared = nullptr;

shmem_request_hook_type previous_shmem_request = nullptr;
shmem_startup_hook_type previous_shmem_startup = nullptr;

void request_shmem() {
  if (previous_shmem_request) previous_shmem_request();
  RequestAddinShmemSpace(MAXALIGN(sizeof(MatcherShared)));
}

void startup_shmem() {
  if (previous_shmem_startup) previous_shmem_startup();
  LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
  bool found = false;
  shared = static_cast<MatcherShared*>(
      ShmemInitStruct("pg_dedupe matcher", sizeof(MatcherShared), &found));
  if (!found) {
    std::memset(shared, 0, sizeof(MatcherShared));
    SpinLockInit(&shared->mutex);
  }
  LWLockRelease(AddinShmemInitLock);
}

// Under the mutex.
int find_slot(Oid database, bool add) {
  int free_slot = -1;
  for (int i = 0; i < kSlots; ++i) {
    if (shared->slots[i].database == database) return i;
    if (free_slot < 0 && shared->slots[i].database == InvalidOid) free_slot = i;
  }
  if (!add || free_slot < 0) return -1;
  shared->slots[free_slot] = {database, false, false, 0, nullptr, 0};
  return free_slot;
}

// Whether dedupe.match_databases ('*' or a comma-separated list of names) names the database.
bool database_selected(const char* name) {
  const char* list = match_databases ? match_databases : "*";
  const size_t len = std::strlen(name);
  for (const char* p = list; *p;) {
    while (*p == ' ' || *p == ',' || *p == '\t') ++p;
    const char* start = p;
    while (*p && *p != ',') ++p;
    const char* end = p;
    while (end > start && (end[-1] == ' ' || end[-1] == '\t')) --end;
    const size_t n = static_cast<size_t>(end - start);
    if (n == 1 && *start == '*') return true;
    if (n == len && n > 0 && std::strncmp(start, name, n) == 0) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// The launcher.

constexpr int kMaxDatabases = 1024;
Oid listed[kMaxDatabases];
int nlisted = 0;
BackgroundWorkerHandle* handles[kSlots];  // the matcher started for each slot, by the launcher
BackgroundWorkerHandle* helpers[kSlots][kMaxHelpers];  // ... and its helpers

// The databases a matcher may serve: connectable, not templates (CREATE DATABASE copies a
// template only while no one is connected to it), named by dedupe.match_databases.
void list_databases() {
  nlisted = 0;
  StartTransactionCommand();
  (void)GetTransactionSnapshot();
  Relation rel = table_open(DatabaseRelationId, AccessShareLock);
  TableScanDesc scan = table_beginscan_catalog(rel, 0, nullptr);
  HeapTuple tuple;
  while ((tuple = heap_getnext(scan, ForwardScanDirection)) != nullptr && nlisted < kMaxDatabases) {
    auto db = reinterpret_cast<Form_pg_database>(GETSTRUCT(tuple));
    if (db->datistemplate || !db->datallowconn || db->datconnlimit == DATCONNLIMIT_INVALID_DB)
      continue;
    if (database_selected(NameStr(db->datname))) listed[nlisted++] = db->oid;
  }
  table_endscan(scan);
  table_close(rel, AccessShareLock);
  CommitTransactionCommand();
}

bool is_listed(Oid database) {
  for (int i = 0; i < nlisted; ++i)
    if (listed[i] == database) return true;
  return false;
}

BackgroundWorkerHandle* start_matcher(Oid database, bool helper = false) {
  BackgroundWorker worker;
  std::memset(&worker, 0, sizeof(worker));
  worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
  worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
  worker.bgw_restart_time = BGW_NEVER_RESTART;
  strlcpy(worker.bgw_library_name, "pg_dedupe", BGW_MAXLEN);
  strlcpy(worker.bgw_function_name, helper ? "dedupe_matcher_helper_main" : "dedupe_matcher_main",
          BGW_MAXLEN);
  snprintf(worker.bgw_name, BGW_MAXLEN, "pg_dedupe matcher%s for database %u",
           helper ? " (helper)" : "", database);
  strlcpy(worker.bgw_type, "pg_dedupe matcher", BGW_MAXLEN);
  worker.bgw_main_arg = ObjectIdGetDatum(database);
  worker.bgw_notify_pid = MyProcPid;
  BackgroundWorkerHandle* handle = nullptr;
  if (!RegisterDynamicBackgroundWorker(&worker, &handle)) return nullptr;
  return handle;
}

// Whether a matcher the launcher started still runs; forgets it when it has stopped.
int still_running(BackgroundWorkerHandle*& handle) {
  if (!handle) return 0;
  pid_t pid;
  const BgwHandleStatus status = GetBackgroundWorkerPid(handle, &pid);
  if (status != BGWH_STOPPED && status != BGWH_POSTMASTER_DIED) return 1;
  pfree(handle);
  handle = nullptr;
  return 0;
}

void forget_launcher_latch(int, Datum) {
  SpinLockAcquire(&shared->mutex);
  shared->launcher_latch = nullptr;
  SpinLockRelease(&shared->mutex);
}

void launcher_loop() {
  bool everything = true;  // first round: every database (records may wait from before a crash)
  TimestampTz last_sweep = GetCurrentTimestamp();
  for (;;) {
    CHECK_FOR_INTERRUPTS();
    if (ConfigReloadPending) {
      ConfigReloadPending = false;
      ProcessConfigFile(PGC_SIGHUP);
    }
    const TimestampTz now = GetCurrentTimestamp();
    const bool sweep = TimestampDifferenceExceeds(last_sweep, now, max_match_delay_ms / 2);
    if (sweep) last_sweep = now;

    // Matchers that are gone.
    int running = 0;
    for (int i = 0; i < kSlots; ++i) {
      running += still_running(handles[i]);
      for (BackgroundWorkerHandle*& helper : helpers[i]) running += still_running(helper);
    }

    bool waiting = false;
    SpinLockAcquire(&shared->mutex);
    if (shared->overflow) everything = true;
    shared->overflow = false;
    for (int i = 0; i < kSlots; ++i)
      if (shared->slots[i].database != InvalidOid && shared->slots[i].pending && !handles[i])
        waiting = true;
    SpinLockRelease(&shared->mutex);

    if (everything || sweep || waiting) {
      list_databases();
      SpinLockAcquire(&shared->mutex);
      if (everything) {
        for (int d = 0; d < nlisted; ++d) {
          const int slot = find_slot(listed[d], true);
          if (slot >= 0) shared->slots[slot].pending = true;
        }
      }
      for (int i = 0; i < kSlots; ++i) {
        DatabaseSlot& s = shared->slots[i];
        if (s.database == InvalidOid) continue;
        if (!is_listed(s.database)) {  // dropped, or not ours to serve
          s.pending = false;
          if (!handles[i] && s.worker_pid == 0) s.database = InvalidOid;
        } else if (sweep) {
          s.pending = true;  // a wake-up that was missed is caught within the delay
        }
      }
      SpinLockRelease(&shared->mutex);
      everything = false;
    }

    for (int i = 0; i < kSlots && running < match_workers; ++i) {
      if (handles[i]) continue;
      SpinLockAcquire(&shared->mutex);
      const Oid database = shared->slots[i].pending ? shared->slots[i].database : InvalidOid;
      SpinLockRelease(&shared->mutex);
      if (database == InvalidOid) continue;
      handles[i] = start_matcher(database);
      if (!handles[i]) break;  // no free background worker slot: try again after the nap
      ++running;
      SpinLockAcquire(&shared->mutex);
      shared->slots[i].pending = false;  // the new matcher looks at the queue when it starts
      SpinLockRelease(&shared->mutex);
    }

    // Helpers for a backlog, beside a running matcher.
    for (int i = 0; i < kSlots && running < match_workers; ++i) {
      if (!handles[i]) continue;
      SpinLockAcquire(&shared->mutex);
      const Oid database = shared->slots[i].backlog ? shared->slots[i].database : InvalidOid;
      SpinLockRelease(&shared->mutex);
      if (database == InvalidOid) continue;
      for (int h = 0; h < matchers_per_database - 1 && running < match_workers; ++h) {
        if (helpers[i][h]) continue;
        if (!(helpers[i][h] = start_matcher(database, true))) break;
        ++running;
      }
    }

    (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, kLauncherNapMs,
                    PG_WAIT_EXTENSION);
    ResetLatch(MyLatch);
  }
}

// ---------------------------------------------------------------------------------------------
// A database's matcher.

constexpr int kNoExtension = -1;
constexpr int kFailed = -2;

// The message of the last error in_own_transaction() rolled back.
char last_error[1024];

// Runs work (C++, behind call_cpp) in a transaction of its own, shown in pg_stat_activity as
// activity. An error is logged and rolled back (its message kept in last_error); returns
// whether it committed.
template <typename Work>
bool in_own_transaction(const char* activity, Work work) {
  volatile bool committed = false;
  SetCurrentStatementStartTimestamp();
  StartTransactionCommand();
  PushActiveSnapshot(GetTransactionSnapshot());
  pgstat_report_activity(STATE_RUNNING, activity);
  PG_TRY();
  {
    work();
    PopActiveSnapshot();
    CommitTransactionCommand();
    committed = true;
  }
  PG_CATCH();
  {
    HOLD_INTERRUPTS();
    MemoryContextSwitchTo(TopMemoryContext);
    ErrorData* error = CopyErrorData();
    strlcpy(last_error, error->message ? error->message : "", sizeof(last_error));
    FreeErrorData(error);
    EmitErrorReport();
    AbortCurrentTransaction();
    MemoryContextSwitchTo(TopMemoryContext);
    FlushErrorState();
    RESUME_INTERRUPTS();
  }
  PG_END_TRY();
  pgstat_report_stat(false);
  pgstat_report_activity(STATE_IDLE, nullptr);
  return committed;
}

// One batch in a transaction of its own. An error is logged and rolled back: the batch goes
// back to the queue, each of its records counting an attempt (then taken alone, and set aside
// after kMaxMatchAttempts); the caller retries later.
int run_batch(int batch_size) {
  int result = 0;
  const bool committed = in_own_transaction("pg_dedupe: matching queued records", [&] {
    result = OidIsValid(get_extension_oid("pg_dedupe", true))
                 ? call_cpp([batch_size] { return match_queued_batch(batch_size); })
                 : kNoExtension;
  });
  if (committed) return result;
  const std::string error = last_error;
  in_own_transaction("pg_dedupe: counting a failed attempt",
                     [&] { call_cpp([&] { count_failed_attempt(error); }); });
  return kFailed;
}

int attached_slot = -1;

// Whether this database's model was last checked at least dedupe.model_check_interval ago (the
// slot remembers it across matchers, which come and go); if so, it counts as checked now.
bool model_check_due() {
  if (attached_slot < 0) return false;
  const TimestampTz now = GetCurrentTimestamp();
  bool due = false;
  SpinLockAcquire(&shared->mutex);
  DatabaseSlot& s = shared->slots[attached_slot];
  if (s.model_checked_at == 0 ||
      TimestampDifferenceExceeds(s.model_checked_at, now, model_check_interval_ms)) {
    s.model_checked_at = now;
    due = true;
  }
  SpinLockRelease(&shared->mutex);
  return due;
}

// Re-estimates the write path's model if its records doubled, in a transaction of its own
// (dedupe._estimate_model_when_due()); an error is logged and rolled back, and the next check
// comes a model_check_interval later.
void run_model_check() {
  in_own_transaction("pg_dedupe: re-estimating the write path's model if due", [] {
    if (OidIsValid(get_extension_oid("pg_dedupe", true)))
      call_cpp([] { estimate_model_when_due(); });
  });
}

void detach_matcher(int, Datum) {
  if (attached_slot < 0) return;
  SpinLockAcquire(&shared->mutex);
  DatabaseSlot& s = shared->slots[attached_slot];
  if (s.worker_pid == MyProcPid) {
    s.worker_pid = 0;
    s.worker_latch = nullptr;
    s.backlog = false;
  }
  SpinLockRelease(&shared->mutex);
  attached_slot = -1;
}

// Clears the database's pending mark: the batch that follows sees every commit before this.
void take_pending() {
  if (attached_slot < 0) return;
  SpinLockAcquire(&shared->mutex);
  shared->slots[attached_slot].pending = false;
  SpinLockRelease(&shared->mutex);
}

// Marks whether the last batch was full; the launcher is woken when a backlog begins.
void note_backlog(bool full) {
  if (attached_slot < 0) return;
  Latch* wake = nullptr;
  SpinLockAcquire(&shared->mutex);
  DatabaseSlot& s = shared->slots[attached_slot];
  if (full && !s.backlog) wake = shared->launcher_latch;
  s.backlog = full;
  SpinLockRelease(&shared->mutex);
  if (wake) SetLatch(wake);
}

// A helper: full batches until one is not (or fails); then it leaves.
void helper_loop() {
  for (;;) {
    CHECK_FOR_INTERRUPTS();
    if (ConfigReloadPending) {
      ConfigReloadPending = false;
      ProcessConfigFile(PGC_SIGHUP);
    }
    if (run_batch(match_batch_size) < match_batch_size) return;
  }
}

// Leaves unless a commit marked the database while the queue looked empty.
bool leave_if_idle() {
  if (attached_slot < 0) return true;
  bool leave = false;
  SpinLockAcquire(&shared->mutex);
  DatabaseSlot& s = shared->slots[attached_slot];
  if (!s.pending) {
    s.worker_pid = 0;
    s.worker_latch = nullptr;
    leave = true;
  }
  SpinLockRelease(&shared->mutex);
  if (leave) attached_slot = -1;
  return leave;
}

// A database without pg_dedupe: its slot is freed, so the launcher's sweeps pass it by.
void leave_database_without_extension() {
  if (attached_slot < 0) return;
  SpinLockAcquire(&shared->mutex);
  DatabaseSlot& s = shared->slots[attached_slot];
  s.worker_pid = 0;
  s.worker_latch = nullptr;
  if (!s.pending) s.database = InvalidOid;
  SpinLockRelease(&shared->mutex);
  attached_slot = -1;
}

void matcher_loop() {
  TimestampTz idle_since = 0;
  int failures = 0;
  bool worked = false;
  for (;;) {
    CHECK_FOR_INTERRUPTS();
    if (ConfigReloadPending) {
      ConfigReloadPending = false;
      ProcessConfigFile(PGC_SIGHUP);
    }
    take_pending();
    const int n = run_batch(match_batch_size);
    note_backlog(n == match_batch_size);
    if (n == kNoExtension) {
      leave_database_without_extension();
      return;
    }
    // Between batches, and on every visit (a sweep visits each database every half delay).
    if (n != kFailed && model_check_due()) run_model_check();
    long nap = kPollMs;
    if (n > 0) {
      worked = true;
      failures = 0;
      idle_since = 0;
      continue;
    }
    if (n == kFailed) {
      // Back off (0.5 s, 1 s, 2 s, ... up to the delay) rather than fail in a tight loop.
      idle_since = 0;
      failures = failures < 16 ? failures + 1 : failures;
      nap = Min(static_cast<long>(max_match_delay_ms), 250L << Min(failures, 10));
    } else {
      // Nothing queued when it came (a sweep's visit): it leaves at once. After work it waits
      // a moment for more, so a steady trickle does not start a process per commit.
      if (!worked && leave_if_idle()) return;
      const TimestampTz now = GetCurrentTimestamp();
      if (idle_since == 0) {
        idle_since = now;
      } else if (TimestampDifferenceExceeds(idle_since, now, kIdleExitMs) && leave_if_idle()) {
        return;
      }
    }
    (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, nap,
                    PG_WAIT_EXTENSION);
    ResetLatch(MyLatch);
  }
}

}  // namespace

void define_matching_settings() {
  DefineCustomIntVariable(
      "dedupe.max_match_delay",
      "Longest time a record of a deferred source waits in dedupe.match_queue after commit.",
      "The matcher is woken at commit; every half of this delay the launcher also looks at the "
      "queues of the databases it served, so a wake-up that was missed is caught in time.",
      &max_match_delay_ms, 30000, 100, 3600000, PGC_SIGHUP, GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomStringVariable(
      "dedupe.match_databases",
      "Databases whose deferred sources the matcher workers serve: '*' or a list of names.",
      "'*' serves every database that allows connections and is not a template; databases "
      "without pg_dedupe are visited once at start and then only when something wakes them.",
      &match_databases, "*", PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "dedupe.match_workers", "Most matcher workers running at once, in all databases.",
      "Each takes a slot of max_worker_processes while it works; 0 stops deferred matching "
      "by workers (CALL dedupe.match_pending() still works).",
      &match_workers, 2, 0, 64, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "dedupe.matchers_per_database", "Most matcher workers one database's queue may have at once.",
      "The first is woken at commit; while its batches come back full the launcher adds "
      "helpers up to this number (within dedupe.match_workers), each matching batches of its "
      "own and leaving at the first batch that is not full.",
      &matchers_per_database, 1, 1, kMaxHelpers + 1, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "dedupe.match_batch_size", "Queued records a matcher worker matches per transaction.",
      "Larger batches match faster; a batch holds the matcher's locks until it commits.",
      &match_batch_size, 500, 1, 100000, PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "dedupe.model_check_interval",
      "Least time between a matcher worker's checks whether a database's records doubled since "
      "the write path's model was estimated.",
      "A check counts the valid records only when the record ids issued could have doubled; when "
      "they did (and dedupe.settings model_estimation is automatic) the matcher re-estimates the "
      "model between two batches.",
      &model_check_interval_ms, 60000, 1000, 86400000, PGC_SIGHUP, GUC_UNIT_MS, nullptr, nullptr,
      nullptr);
}

void register_matcher() {
  previous_shmem_request = shmem_request_hook;
  shmem_request_hook = request_shmem;
  previous_shmem_startup = shmem_startup_hook;
  shmem_startup_hook = startup_shmem;

  BackgroundWorker worker;
  std::memset(&worker, 0, sizeof(worker));
  worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
  worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
  worker.bgw_restart_time = 5;
  strlcpy(worker.bgw_library_name, "pg_dedupe", BGW_MAXLEN);
  strlcpy(worker.bgw_function_name, "dedupe_matcher_launcher_main", BGW_MAXLEN);
  strlcpy(worker.bgw_name, "pg_dedupe launcher", BGW_MAXLEN);
  strlcpy(worker.bgw_type, "pg_dedupe launcher", BGW_MAXLEN);
  RegisterBackgroundWorker(&worker);
}

void wake_matcher(Oid database) noexcept {
  if (!shared) return;
  Latch* wake[2] = {nullptr, nullptr};
  SpinLockAcquire(&shared->mutex);
  const int slot = find_slot(database, true);
  if (slot >= 0) {
    shared->slots[slot].pending = true;
    wake[0] = shared->slots[slot].worker_latch;
  } else {
    shared->overflow = true;
  }
  wake[1] = shared->launcher_latch;
  SpinLockRelease(&shared->mutex);
  for (Latch* latch : wake)
    if (latch) SetLatch(latch);
}

}  // namespace dedupe::pg

using dedupe::pg::shared;

void dedupe_matcher_launcher_main(Datum) {
  pqsignal(SIGHUP, SignalHandlerForConfigReload);
  pqsignal(SIGTERM, die);
  BackgroundWorkerUnblockSignals();
  BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);
  pgstat_report_appname("pg_dedupe launcher");
  SpinLockAcquire(&shared->mutex);
  shared->launcher_latch = MyLatch;
  SpinLockRelease(&shared->mutex);
  before_shmem_exit(dedupe::pg::forget_launcher_latch, 0);
  dedupe::pg::launcher_loop();
}

// A matcher's or helper's start: signals, the database, its name, READ COMMITTED.
static void connect_matcher(Oid database) {
  pqsignal(SIGHUP, SignalHandlerForConfigReload);
  pqsignal(SIGTERM, die);
  BackgroundWorkerUnblockSignals();
  BackgroundWorkerInitializeConnectionByOid(database, InvalidOid, 0);
  pgstat_report_appname("pg_dedupe matcher");
  // The matcher's advisory locks serialize writers of one identity only when every statement
  // reads what committed before it.
  SetConfigOption("default_transaction_isolation", "read committed", PGC_SUSET, PGC_S_OVERRIDE);
}

void dedupe_matcher_main(Datum arg) {
  const Oid database = DatumGetObjectId(arg);
  connect_matcher(database);
  SpinLockAcquire(&shared->mutex);
  const int slot = dedupe::pg::find_slot(database, true);
  if (slot >= 0) {
    shared->slots[slot].worker_pid = MyProcPid;
    shared->slots[slot].worker_latch = MyLatch;
  }
  SpinLockRelease(&shared->mutex);
  dedupe::pg::attached_slot = slot;
  before_shmem_exit(dedupe::pg::detach_matcher, 0);
  dedupe::pg::matcher_loop();
  proc_exit(0);
}

void dedupe_matcher_helper_main(Datum arg) {
  connect_matcher(DatumGetObjectId(arg));
  dedupe::pg::helper_loop();
  proc_exit(0);
}
