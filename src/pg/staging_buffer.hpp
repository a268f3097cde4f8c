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
#include "pg/guard.hpp"

namespace dedupe::pg {

struct StagedRow {
  std::string source, source_pk, actor, decision, audit_inputs, attributes;
  NormalizedRecord record;
  // An UPDATE that changed an identity column: a linked record is matched again and leaves
  // its golden record when the new values no longer point there.
  bool identity_changed = false;
  // The source matches later (dedupe.match_queue) rather than in this transaction.
  bool deferred = false;
};

// Queues one row; flushes first when the buffer is full or already holds the same
// (source, source_pk), so one multi-row upsert never touches a row twice.
void stage_row(StagedRow row);

// Writes every staged row (records upsert + audit rows, two statements' worth of work in
// one SPI execution) with the extension owner's rights. A no-op when nothing is staged.
void flush_staged_rows();

// Idempotency keys are claimed in the BEFORE row trigger, but PostgreSQL may then not write
// the row (INSERT ... ON CONFLICT DO NOTHING, a later BEFORE trigger returning NULL). The
// claim is noted here, confirmed by the AFTER row trigger that sees the written row, and a
// claim still unconfirmed when the statement ends is withdrawn, so a later delivery of the
// same key is not dropped as a replay of a row that was never stored.
void note_claim(Oid relid, const std::string& source, const std::string& key);
void confirm_claim(const std::string& source, const std::string& key);

// The end of a statement on a watched table: flushes, then withdraws the claims of that
// table the statement made but never wrote.
void end_statement(Oid relid);

}  // namespace dedupe::pg
