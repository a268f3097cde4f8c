// Golden-record promotion on write: after the flush stages a statement's rows, each valid
// record is matched (core/golden/match_rules.hpp) against the records that share a key
// component or a phonetic surname, then linked, reviewed or given a new golden record.
// Runs with the extension owner's rights inside the flush's SPI connection.
#pragma once

#include "core/golden/match_rules.hpp"
#include "core/match/model.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace dedupe::pg {

struct StagedMatch {
  int64_t record_id;
  std::string actor;
  bool identity_changed;  // an UPDATE changed its identity: re-match even when linked
};

// Every staged row, in staging order.
void match_staged_records(const std::vector<StagedMatch>& staged);

// What the write path decides with: the thresholds in dedupe.effective_settings and the
// model named 'write_path' in dedupe.models, else the built-in cold-start model. Reads
// with the extension owner's rights.
struct WritePathPolicy {
  golden::Thresholds thresholds;
  match::Model model;
};
WritePathPolicy read_write_path_policy();

}  // namespace dedupe::pg
