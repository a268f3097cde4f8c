// Every watch trigger acts with the extension owner's rights on the records of the source its
// arguments name, so it first checks that the table firing it is the one dedupe.sources
// registered under that source: a trigger attached by hand to another table (a temp table
// naming someone else's source) is refused instead of forging, wiping or blocking records.
#pragma once

#include <string>

#include "pg/guard.hpp"

extern "C" {
#include "utils/relcache.h"
}

namespace dedupe::pg {

// Throws 42501 unless `relation` is the table registered and watched under `source`.
// The answer is cached for the rest of the current command, so a COPY asks once.
void verify_registration(const std::string& source, Relation relation);

}  // namespace dedupe::pg
