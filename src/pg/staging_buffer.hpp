// Staged records waiting to be written to dedupe.records and dedupe.audit_log.
// The row trigger validates each row at once (so rejects fail the statement on the right
// row) but defers the two inserts: they are written many rows per statement at the end of
// the writing statement (an AFTER STATEMENT trigger) or every kFlushEvery rows, which is
// what makes a watched COPY affordable. Rows staged inside a subtransaction that aborts are
// dropped with it; a commit with rows still staged is refused rather than losing them.
#pragma once

#include <optional>
#include <string>

#include "core/normalize/record.hpp"

namespace dedupe::pg {

struct StagedRow {
  std::string source, source_pk, actor, decision, audit_inputs, attributes;
  NormalizedRecord record;
  // An UPDATE that changed an identity column: a linked record is matched again and leaves
  // its golden record when the new values no longer point there.
  bool identity_changed = false;
};

// Queues one row; flushes first when the buffer is full or already holds the same
// (source, source_pk), so one multi-row upsert never touches a row twice.
void stage_row(StagedRow row);

// Writes every staged row (records upsert + audit rows, two statements' worth of work in
// one SPI execution) with the extension owner's rights. A no-op when nothing is staged.
void flush_staged_rows();

}  // namespace dedupe::pg
