// What the batch functions share: their settings (GUCs), the run control that maps the
// core's cancellation checks to CHECK_FOR_INTERRUPTS and its progress reports to NOTICEs,
// reading the mapping and the rows, and loading stored models.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/match/model.hpp"
#include "core/match/record_set.hpp"
#include "core/match/run_control.hpp"
#include "pg/guard.hpp"

namespace dedupe::pg {

// dedupe.batch_max_pairs and dedupe.progress_interval; called from _PG_init.
void define_batch_settings();
int batch_max_pairs();

// Cancellation through CHECK_FOR_INTERRUPTS (so statement_timeout and Ctrl-C unwind the
// C++ frames) and a NOTICE at most every dedupe.progress_interval seconds.
match::RunControl batch_run_control(const char* function_name);

struct BatchMapping {
  std::vector<match::Role> roles;
  std::vector<std::string> columns;  // same order as roles
};

// The arguments every batch function starts with: source, id_column, mapping.
struct BatchSource {
  std::string source, id_column;
  Datum mapping;
};
BatchSource batch_source_args(FunctionCallInfo fcinfo);

// The following need an open SPI connection (SpiSession).

// Reads role => column pairs from a jsonb object; throws Error(22023) for anything else.
BatchMapping read_mapping(Datum jsonb);

// Runs the source (a table name or a query) and loads id and mapped columns. Throws
// Error(42804) when the id column is not an integer; unknown tables and columns raise
// PostgreSQL's own 42P01 / 42703.
match::RecordSet read_records(const BatchSource& source, const BatchMapping& mapping,
                              const match::RunControl& control);

// A model stored by dedupe.train (or by hand); throws Error(42704) when there is none.
match::Model load_model(const std::string& name);

}  // namespace dedupe::pg
