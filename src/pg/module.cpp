// Module entry: the magic block, GUC registration and library versions.
#include "pg/datum_io.hpp"

extern "C" {
#include "utils/guc.h"
}

#include "core/normalize/fold.hpp"
#include "pg/batch_run.hpp"
#include "pg/match_worker.hpp"

extern "C" {
PG_MODULE_MAGIC;

void _PG_init(void) {
  // Every dedupe.* GUC is defined by the feature that owns it before this line.
  dedupe::pg::define_batch_settings();
  dedupe::pg::define_matching_settings();
  MarkGUCPrefixReserved("dedupe");
  // Deferred matching's workers exist only when the library is preloaded.
  if (process_shared_preload_libraries_in_progress) dedupe::pg::register_matcher();
}
}

DEDUPE_FUNCTION(dedupe_icu_version) { return dedupe::pg::text_datum(dedupe::icu_version()); }
