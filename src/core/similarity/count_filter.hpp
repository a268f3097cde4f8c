// The count and length filters (Gravano et al., "Approximate String Joins in a Database
// (Almost) for Free", VLDB 2001) as a GIN index applies them: the query becomes a list of
// index keys, and for each row the index reports which keys the row has (true, false or
// maybe); the verdict says whether the row can possibly match.
//
// Edit distance: strings s, t with lev(s, t) <= k share at least
//   max(|s|, |t|) + q - 1 - k*q
// of their padded q-grams (as multisets), and ||s| - |t|| <= k.
// Q-gram similarity t (multiset Jaccard c / (|A| + |B| - c) of gram counts |A|, |B|):
//   c >= t (|A| + |B|) / (1 + t), and t |A| <= |B| <= |A| / t.
//
// When the count needed at the most favourable admissible length is positive, the query is
// the query's gram keys and that count, as pg_trgm does it (the length filter is left to the
// recheck). When it is <= 0 (short strings, large k), a row may share no gram at all: the
// query then also lists the length key of every admissible length, with the count a row of
// that length needs, and a row is a candidate through its own length key. Nothing is ever
// missed, and there is never a full index scan.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace dedupe::fuzzy {

// Same values as PostgreSQL's GinTernaryValue.
enum class Tri : uint8_t { kFalse = 0, kTrue = 1, kMaybe = 2 };

struct CountFilter {
  std::vector<int32_t> keys;    // index keys to look up, distinct
  std::vector<int32_t> weight;  // gram keys: query grams hashed to it; length keys: 0
  std::vector<int32_t> needed;  // gram keys: -1; length keys: count a row of that length needs
  int32_t needed_any = 0;       // with no length keys: the count every candidate needs
  bool match_all = false;       // every row qualifies (similarity threshold 0)
};

// Rows whose folded value is within Levenshtein distance k (>= 0) of the folded query.
CountFilter edit_distance_filter(std::u32string_view folded_query, int k);
// Rows whose padded-trigram similarity to the folded query is >= threshold (0..1].
CountFilter similarity_filter(std::u32string_view folded_query, double threshold);

// kFalse when a row with these key states cannot match; kMaybe otherwise (the operator
// decides). states has one entry per key, in the order of the keys.
Tri count_filter_verdict(const int32_t* weight, const int32_t* needed, size_t n_keys,
                         int32_t needed_any, const Tri* states);
inline Tri count_filter_verdict(const CountFilter& f, const Tri* states) {
  return count_filter_verdict(f.weight.data(), f.needed.data(), f.keys.size(), f.needed_any,
                              states);
}

}  // namespace dedupe::fuzzy
