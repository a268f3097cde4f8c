// The query types' I/O and constructors, and the operator functions the indexes serve.
#include "pg/fuzzy_query.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/similarity/fuzzy_keys.hpp"
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

int32 checked_distance(long k, std::string_view input) {
  if (k < 0 || k > 1000000)
    throw Error(sqlstate::kInvalidParameterValue, "max_distance must be between 0 and 1000000",
                "max_distance was " + std::to_string(k) +
                    std::string(input.empty() ? "" : " in '") + std::string(input) +
                    std::string(input.empty() ? "" : "'"));
  return static_cast<int32>(k);
}

float4 checked_threshold(double t, std::string_view input) {
  if (!(t >= 0 && t <= 1))
    throw Error(sqlstate::kInvalidParameterValue, "similarity threshold must be between 0 and 1",
                "threshold was " + std::to_string(t) + std::string(input.empty() ? "" : " in '") +
                    std::string(input) + std::string(input.empty() ? "" : "'"));
  return static_cast<float4>(t);
}

// "threshold:text" -> the number before the first colon and the text after it.
std::pair<std::string, std::string_view> split_literal(std::string_view literal,
                                                       const char* type_name, const char* example) {
  const size_t colon = literal.find(':');
  if (colon == std::string_view::npos || colon == 0)
    throw Error(sqlstate::kInvalidTextRepresentation,
                std::string("invalid input syntax for type ") + type_name + ": \"" +
                    std::string(literal) + "\"",
                "expected threshold:text", std::string("for example ") + example);
  return {std::string(literal.substr(0, colon)), literal.substr(colon + 1)};
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
  const std::string_view literal = PG_GETARG_CSTRING(0);
  auto [number, text] = split_literal(literal, "dedupe.edit_query", "'2:jon smith'");
  char* end = nullptr;
  errno = 0;
  const long k = strtol(number.c_str(), &end, 10);
  if (errno != 0 || *end != '\0')
    throw dedupe::Error(
        dedupe::sqlstate::kInvalidTextRepresentation,
        "invalid max_distance in dedupe.edit_query: \"" + std::string(literal) + "\"",
        "the part before the colon must be a whole number", "for example '2:jon smith'");
  return make_query<EditQuery>(checked_distance(k, literal), dedupe::fuzzy::fold_for_match(text));
}

DEDUPE_FUNCTION(dedupe_edit_query_out) {
  const EditQuery* q = edit_query_arg(PG_GETARG_DATUM(0));
  return cstring_datum(std::to_string(q->max_distance) + ":" + std::string(query_text(q)));
}

DEDUPE_FUNCTION(dedupe_similarity_query_in) {
  const std::string_view literal = PG_GETARG_CSTRING(0);
  auto [number, text] = split_literal(literal, "dedupe.similarity_query", "'0.5:jon smith'");
  char* end = nullptr;
  errno = 0;
  const double t = strtod(number.c_str(), &end);
  if (errno != 0 || *end != '\0')
    throw dedupe::Error(
        dedupe::sqlstate::kInvalidTextRepresentation,
        "invalid threshold in dedupe.similarity_query: \"" + std::string(literal) + "\"",
        "the part before the colon must be a number between 0 and 1",
        "for example '0.5:jon smith'");
  return make_query<SimilarityQuery>(checked_threshold(t, literal),
                                     dedupe::fuzzy::fold_for_match(text));
}

DEDUPE_FUNCTION(dedupe_similarity_query_out) {
  const SimilarityQuery* q = similarity_query_arg(PG_GETARG_DATUM(0));
  char number[32];
  snprintf(number, sizeof number, "%g", static_cast<double>(q->threshold));
  return cstring_datum(std::string(number) + ":" + std::string(query_text(q)));
}

DEDUPE_FUNCTION(dedupe_within) {
  const int32 k = checked_distance(PG_GETARG_INT32(1), {});
  return make_query<EditQuery>(k, dedupe::fuzzy::fold_for_match(text_arg(fcinfo, 0)));
}

DEDUPE_FUNCTION(dedupe_similar_to) {
  const float4 t = checked_threshold(PG_GETARG_FLOAT4(1), {});
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
