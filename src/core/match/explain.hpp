// A batch pair explained comparison by comparison, as JSON (dedupe.explain over a source):
// each mapped role with both normalized values, the comparison level, the model's m and u
// for it, the weight it added (term-frequency adjusted, capped or left out), the total
// match weight, the write path's rule where one applied, the score and the decision at a
// threshold. The score is the one dedupe.candidate_pairs reports for the same pair.
#pragma once

#include <cstdint>
#include <string>

#include "core/match/model.hpp"
#include "core/match/record_set.hpp"

namespace dedupe::match {

struct ExplainRequest {
  uint32_t a = 0, b = 0;                       // record indexes, in the caller's order
  double threshold = 0.9;                      // the decision's threshold (dedupe.cluster's)
  const std::string* blocking_rule = nullptr;  // the rule that makes it a candidate, or null
};

// The pair is scored in record order (as blocking emits it), whatever the request's order.
std::string explain_json(const RecordSet& set, const Scorer& scorer, const ExplainRequest& request);

}  // namespace dedupe::match
