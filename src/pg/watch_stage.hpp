// Staging one row of a watched table: the AFTER row trigger does it for every row written,
// dedupe.watch() for the rows a table already holds. One function, so both stage alike.
#pragma once

#include <string>

#include "pg/watch_mapping.hpp"

namespace dedupe::pg {

enum class StageMode {
  kWrite,     // a row being written: an invalid row fails the statement unless on_invalid = flag
  kExisting,  // a row the table held before it was watched: an invalid row is staged as flagged
};

// Normalizes and validates the row, then queues it for dedupe.records and the audit log.
// Runs the column types' output functions, so call it with the writer's rights. Returns
// whether the row was valid.
bool stage_tuple(HeapTuple tuple, TupleDesc desc, const WatchMapping& m, const std::string& pk,
                 StageMode mode, bool identity_changed);

}  // namespace dedupe::pg
