// Estimating the write path's model off the write path (see write_path_model.cpp and
// control/sql/86_model_estimation.sql).
#pragma once

namespace dedupe::pg {

// Runs dedupe._estimate_model_when_due() in the current transaction (the matcher worker's
// check) and logs an estimate it made. Throws like any SPI caller; a no-op when the installed
// extension has no such function.
void estimate_model_when_due();

}  // namespace dedupe::pg
