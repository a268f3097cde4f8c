// Builds a dedupe.match_key datum from normalized components by calling the SQL constructor
// dedupe.match_key(external_id, phone, email, region) through fmgr: the write path fills a
// table's key column with exactly the key a user would build, without a round trip via SPI.
#pragma once

#include <optional>
#include <string>

#include "pg/guard.hpp"

namespace dedupe::pg {

struct KeyDatum {
  Datum value = 0;
  bool isnull = true;
};

// NULL when all three components are absent. The datum lives in the current memory context.
KeyDatum build_match_key(const std::optional<std::string>& external_id,
                         const std::optional<std::string>& phone,
                         const std::optional<std::string>& email);

}  // namespace dedupe::pg
