// Append-only tables (dedupe.audit_log, dedupe.webhook_events): the guard trigger that refuses
// UPDATE, DELETE and TRUNCATE for every role, and the one way rows may leave, a retention
// purge. Permission to delete is a flag in this backend's memory, set only while a purge
// function of the extension runs, so no SQL (SET, a GUC, a role) can grant it.
#pragma once

#include "pg/guard.hpp"

namespace dedupe::pg {

class AppendOnlyTable {
 public:
  // table: as users know it ("dedupe.audit_log"); purge: the function that removes old rows.
  AppendOnlyTable(const char* table, const char* guard_function, const char* purge_function)
      : table_(table), guard_function_(guard_function), purge_function_(purge_function) {}

  // The BEFORE UPDATE OR DELETE OR TRUNCATE trigger's body.
  Datum guard(FunctionCallInfo fcinfo) const;

  // Deletes pass the guard while one of these is alive.
  class PurgeWindow {
   public:
    explicit PurgeWindow(AppendOnlyTable& table) : table_(table) { table_.purging_ = true; }
    ~PurgeWindow() { table_.purging_ = false; }
    PurgeWindow(const PurgeWindow&) = delete;
    PurgeWindow& operator=(const PurgeWindow&) = delete;

   private:
    AppendOnlyTable& table_;
  };

 private:
  const char* table_;
  const char* guard_function_;
  const char* purge_function_;
  bool purging_ = false;
};

}  // namespace dedupe::pg
