// Restriction selectivity of the fuzzy-search operators. With column statistics, the
// operator itself is run over the most-common values and the histogram sample
// (generic_restriction_selectivity); without them, the default depends on the query:
// short queries with a large edit distance, and low similarity thresholds, match more.
#include "pg/fuzzy_query.hpp"

#include <algorithm>
#include <cmath>

#include "core/similarity/fuzzy_keys.hpp"
#include "core/similarity/metrics.hpp"

extern "C" {
#include "nodes/pathnodes.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"
}

namespace {

// Without statistics, a guess from the query alone.
double within_default(Datum query) {
  const auto* q = dedupe::pg::edit_query_arg(query);
  const double length = static_cast<double>(dedupe::code_points(dedupe::pg::query_text(q)).size());
  if (q->max_distance >= length) return 0.5;  // most strings that short qualify
  return std::min(0.5, 0.0005 * std::pow(q->max_distance + 1, 2));
}

double similar_default(Datum query) {
  const auto* q = dedupe::pg::similarity_query_arg(query);
  return std::clamp(0.05 * std::pow(1.0 - q->threshold, 4), 1e-5, 1.0);
}

template <typename Default>
Datum selectivity(FunctionCallInfo fcinfo, Default default_for) {
  auto* root = reinterpret_cast<PlannerInfo*>(PG_GETARG_POINTER(0));
  const Oid op = PG_GETARG_OID(1);
  auto* args = reinterpret_cast<List*>(PG_GETARG_POINTER(2));
  const int var_relid = PG_GETARG_INT32(3);
  double fallback = 0.005;
  if (list_length(args) == 2) {
    const Node* right = static_cast<const Node*>(lsecond(args));
    if (IsA(right, Const) && !reinterpret_cast<const Const*>(right)->constisnull)
      fallback = default_for(reinterpret_cast<const Const*>(right)->constvalue);
  }
  return Float8GetDatum(dedupe::pg::pg_call([&] {
    return generic_restriction_selectivity(root, op, InvalidOid, args, var_relid, fallback);
  }));
}

}  // namespace

DEDUPE_FUNCTION(dedupe_fuzzy_within_sel) { return selectivity(fcinfo, within_default); }
DEDUPE_FUNCTION(dedupe_fuzzy_similar_sel) { return selectivity(fcinfo, similar_default); }
