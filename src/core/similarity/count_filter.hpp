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
// Index keys are partitioned by length bucket (fuzzy_keys.hpp), so the query lists, for each
// admissible length bucket, its gram keys in that bucket with the count a row of that
// length must reach; where that count is <= 0 (short strings, large k) it lists the bucket's
// length key instead, which every row of that length has: nothing is ever missed, and no
// full index scan is needed.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace dedupe::fuzzy {

// Same values as PostgreSQL's GinTernaryValue.
enum class Tri : uint8_t { kFalse = 0, kTrue = 1, kMaybe = 2 };

struct CountFilter {
  std::vector<int32_t> keys;    // index keys to look up, distinct
  std::vector<int32_t> slot;    // per key: which length bucket of the query it belongs to
  std::vector<int32_t> weight;  // per key: query grams hashed to it; 0 for a length key
  std::vector<int32_t> needed;  // per slot: matched weight a row needs (0: its length key)
  bool match_all = false;       // every row qualifies (similarity threshold 0)
};

// Rows whose folded value is within Levenshtein distance k (>= 0) of the folded query.
CountFilter edit_distance_filter(std::u32string_view folded_query, int k);
// Rows whose padded-trigram similarity to the folded query is >= threshold (0..1].
CountFilter similarity_filter(std::u32string_view folded_query, double threshold);

// kFalse when a row with these key states cannot match; kMaybe otherwise (the operator
// decides). states has one entry per key, in the order of f.keys.
Tri count_filter_verdict(const int32_t* slot, const int32_t* weight, size_t n_keys,
                         const int32_t* needed, size_t n_slots, const Tri* states);
inline Tri count_filter_verdict(const CountFilter& f, const Tri* states) {
  return count_filter_verdict(f.slot.data(), f.weight.data(), f.keys.size(), f.needed.data(),
                              f.needed.size(), states);
}

}  // namespace dedupe::fuzzy
