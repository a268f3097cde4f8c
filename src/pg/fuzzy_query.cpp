// The query types' I/O and constructors, and the operator functions the indexes serve.
#include "pg/fuzzy_query.hpp"

#include <cstring>
#include <string>

#include "core/similarity/fuzzy_keys.hpp"
#include "core/similarity/fuzzy_query_text.hpp"
#include "core/similarity/metrics.hpp"
#include "pg/datum_io.hpp"

extern "C" {
#include "utils/builtins.h"
}

namespace dedupe::pg {
namespace {

template <typename Query, typename Threshold>
Datum make_query(Threshold threshold, std::string_view folded) {
  return pg_call([&] {
    const size_t size = offsetof(Query, text) + folded.size();
    auto* q = static_cast<Query*>(palloc(size));
    SET_VARSIZE(q, size);
    if constexpr (std::is_same_v<Query, EditQuery>) {
      q->max_distance = threshold;
    } else {
      q->threshold = threshold;
    }
    memcpy(q->text, folded.data(), folded.size());
    return PointerGetDatum(q);
  });
}

Datum cstring_datum(const std::string& s) {
  return pg_call([&] { return CStringGetDatum(pstrdup(s.c_str())); });
}

}  // namespace

const EditQuery* edit_query_arg(Datum d) {
  return pg_call([&] { return reinterpret_cast<EditQuery*>(PG_DETOAST_DATUM(d)); });
}
const SimilarityQuery* similarity_query_arg(Datum d) {
  return pg_call([&] { return reinterpret_cast<SimilarityQuery*>(PG_DETOAST_DATUM(d)); });
}
std::string_view query_text(const EditQuery* q) {
  return {q->text, VARSIZE(q) - offsetof(EditQuery, text)};
}
std::string_view query_text(const SimilarityQuery* q) {
  return {q->text, VARSIZE(q) - offsetof(SimilarityQuery, text)};
}

}  // namespace dedupe::pg

using namespace dedupe::pg;

DEDUPE_FUNCTION(dedupe_edit_query_in) {
  const auto q = dedupe::fuzzy::parse_edit_query(PG_GETARG_CSTRING(0));
  return make_query<EditQuery>(q.max_distance, q.folded);
}

DEDUPE_FUNCTION(dedupe_edit_query_out) {
  const EditQuery* q = edit_query_arg(PG_GETARG_DATUM(0));
  return cstring_datum(dedupe::fuzzy::format_edit_query(q->max_distance, query_text(q)));
}

DEDUPE_FUNCTION(dedupe_similarity_query_in) {
  const auto q = dedupe::fuzzy::parse_similarity_query(PG_GETARG_CSTRING(0));
  return make_query<SimilarityQuery>(q.threshold, q.folded);
}

DEDUPE_FUNCTION(dedupe_similarity_query_out) {
  const SimilarityQuery* q = similarity_query_arg(PG_GETARG_DATUM(0));
  return cstring_datum(dedupe::fuzzy::format_similarity_query(q->threshold, query_text(q)));
}

DEDUPE_FUNCTION(dedupe_within) {
  const int32 k = dedupe::fuzzy::checked_max_distance(PG_GETARG_INT32(1));
  return make_query<EditQuery>(k, dedupe::fuzzy::fold_for_match(text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_similar_to) {
  const float4 t = dedupe::fuzzy::checked_threshold(PG_GETARG_FLOAT4(1));
  return make_query<SimilarityQuery>(t, dedupe::fuzzy::fold_for_match(text_arg(fcinfo, 0)));
}

// text % edit_query: lev(fold(value), query) <= k, on a band of 2k + 1 diagonals.
DEDUPE_FUNCTION(dedupe_fuzzy_within) {
  const EditQuery* q = edit_query_arg(PG_GETARG_DATUM(1));
  const std::u32string value = dedupe::fuzzy::match_form(text_arg(fcinfo, 0));
  const std::u32string query = dedupe::code_points(query_text(q));
  return BoolGetDatum(dedupe::levenshtein_bounded(value, query, q->max_distance) <=
                      q->max_distance);
}

// text % similarity_query: padded-trigram similarity of fold(value) and the query >= t.
DEDUPE_FUNCTION(dedupe_fuzzy_similar) {
  const SimilarityQuery* q = similarity_query_arg(PG_GETARG_DATUM(1));
  const std::u32string value = dedupe::fuzzy::match_form(text_arg(fcinfo, 0));
  const std::u32string query = dedupe::code_points(query_text(q));
  return BoolGetDatum(dedupe::qgram_similarity(value, query, dedupe::fuzzy::kQ) >=
                      static_cast<double>(q->threshold));
}

// text <-> text: Levenshtein distance of the folded values (float8, as GiST ORDER BY needs).
DEDUPE_FUNCTION(dedupe_edit_distance) {
  const std::u32string a = dedupe::fuzzy::match_form(text_arg(fcinfo, 0));
  const std::u32string b = dedupe::fuzzy::match_form(text_arg(fcinfo, 1));
  if (static_cast<double>(a.size()) * static_cast<double>(b.size()) > 4e8)
    throw dedupe::Error(dedupe::sqlstate::kProgramLimitExceeded,
                        "strings too long for dedupe.edit_distance",
                        "folded lengths " + std::to_string(a.size()) + " and " +
                            std::to_string(b.size()) + " exceed 400000000 comparisons",
                        "use col % dedupe.within(query, k), which is linear in the length");
  return Float8GetDatum(dedupe::levenshtein(a, b));
}
