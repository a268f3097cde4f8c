// The right-hand sides of the fuzzy-search operators: a folded query carrying its own
// threshold, so no SET is needed per query.
//   dedupe.edit_query        'k:text'   (dedupe.within(text, k))
//   dedupe.similarity_query  't:text'   (dedupe.similar_to(text, t))
// Both are varlenas: a 4-byte header, a 4-byte threshold, the folded UTF-8 text.
#pragma once

#include <string>
#include <string_view>

#include "pg/guard.hpp"

extern "C" {
#include "access/stratnum.h"
}

namespace dedupe::pg {

struct EditQuery {
  int32 vl_len_;
  int32 max_distance;
  char text[FLEXIBLE_ARRAY_MEMBER];
};

struct SimilarityQuery {
  int32 vl_len_;
  float4 threshold;
  char text[FLEXIBLE_ARRAY_MEMBER];
};

// Index strategies shared by the GIN and GiST opclasses.
inline constexpr StrategyNumber kWithinStrategy = 1;    // text % edit_query
inline constexpr StrategyNumber kSimilarStrategy = 2;   // text % similarity_query
inline constexpr StrategyNumber kDistanceStrategy = 3;  // text <-> text (GiST ORDER BY)

// A detoasted query (valid for the rest of the call) and its folded text.
const EditQuery* edit_query_arg(Datum d);
const SimilarityQuery* similarity_query_arg(Datum d);
std::string_view query_text(const EditQuery* q);
std::string_view query_text(const SimilarityQuery* q);

}  // namespace dedupe::pg
