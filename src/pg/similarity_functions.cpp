// SQL wrappers of the similarity metrics: dedupe.levenshtein, damerau_levenshtein, jaro,
// jaro_winkler, qgram_similarity, token_set_similarity. They compare code points as given
// (case-sensitive); callers wanting case/script-insensitive scores pass dedupe.fold().
#include "pg/datum_io.hpp"

#include <algorithm>
#include <string>

#include "core/similarity/metrics.hpp"

namespace {

// The quadratic metrics are not interruptible; cap their work (|a| * |b| cells) so one call
// stays well under a second. Two 20,000-character strings are the largest equal pair.
constexpr double kMaxCells = 4e8;

void check_work(const std::u32string& a, const std::u32string& b, double cells) {
  if (cells > kMaxCells)
    throw dedupe::Error(dedupe::sqlstate::kProgramLimitExceeded,
                        "strings too long for this similarity metric",
                        "lengths " + std::to_string(a.size()) + " and " + std::to_string(b.size()) +
                            " code points need " + std::to_string(static_cast<long long>(cells)) +
                            " comparisons; the limit is 400000000",
                        "compare shorter strings, or use dedupe.levenshtein(a, b, max_distance)");
}

struct Pair {
  std::u32string a, b;
};

// Both text arguments as code points, with the quadratic work limit checked.
Pair quadratic_args(FunctionCallInfo fcinfo) {
  Pair p{dedupe::code_points(dedupe::pg::text_arg(fcinfo, 0)),
         dedupe::code_points(dedupe::pg::text_arg(fcinfo, 1))};
  check_work(p.a, p.b, static_cast<double>(p.a.size()) * static_cast<double>(p.b.size()));
  return p;
}

}  // namespace

DEDUPE_FUNCTION(dedupe_levenshtein) {
  Pair p = quadratic_args(fcinfo);
  return Int32GetDatum(dedupe::levenshtein(p.a, p.b));
}

DEDUPE_FUNCTION(dedupe_levenshtein_bounded) {
  const int32 max_distance = PG_GETARG_INT32(2);
  if (max_distance < 0)
    throw dedupe::Error(dedupe::sqlstate::kInvalidParameterValue,
                        "max_distance must not be negative",
                        "max_distance was " + std::to_string(max_distance));
  Pair p{dedupe::code_points(dedupe::pg::text_arg(fcinfo, 0)),
         dedupe::code_points(dedupe::pg::text_arg(fcinfo, 1))};
  // The band has 2k + 1 cells per row, and rows stop as soon as every cell exceeds k.
  const double longer = static_cast<double>(std::max(p.a.size(), p.b.size()));
  const double shorter = static_cast<double>(std::min(p.a.size(), p.b.size()));
  if (longer - shorter <= max_distance)
    check_work(p.a, p.b, longer * std::min(shorter, 2.0 * max_distance + 1));
  return Int32GetDatum(dedupe::levenshtein_bounded(p.a, p.b, max_distance));
}

DEDUPE_FUNCTION(dedupe_damerau_levenshtein) {
  Pair p = quadratic_args(fcinfo);
  return Int32GetDatum(dedupe::damerau_levenshtein_osa(p.a, p.b));
}

DEDUPE_FUNCTION(dedupe_jaro) {
  Pair p = quadratic_args(fcinfo);
  return Float8GetDatum(dedupe::jaro(p.a, p.b));
}

DEDUPE_FUNCTION(dedupe_jaro_winkler) {
  Pair p = quadratic_args(fcinfo);
  return Float8GetDatum(dedupe::jaro_winkler(p.a, p.b));
}

DEDUPE_FUNCTION(dedupe_qgram_similarity) {
  const int32 q = PG_GETARG_INT32(2);
  // Linear in the input: no work limit beyond PostgreSQL's own 1 GB.
  return Float8GetDatum(
      dedupe::qgram_similarity(dedupe::code_points(dedupe::pg::text_arg(fcinfo, 0)),
                               dedupe::code_points(dedupe::pg::text_arg(fcinfo, 1)), q));
}

DEDUPE_FUNCTION(dedupe_token_set_similarity) {
  // Every token pair is compared with Jaro-Winkler: at most |a| * |b| cells in all.
  Pair p = quadratic_args(fcinfo);
  return Float8GetDatum(dedupe::token_set_similarity(p.a, p.b));
}
