// What the fuzzy-search indexes store for a string: its folded form's padded trigrams, one
// per occurrence (the 2nd 'ana' of 'banana' is its own gram, so counting shared grams counts
// the multiset intersection), hashed to int32 keys, plus one key for its length bucket.
// Queries read the length keys only where the count bound is <= 0 (short strings, large k):
// there every row of an admissible length is a candidate, sharing a gram or not.
//
// Gram keys are odd, length keys even, so they never collide with each other; gram keys may
// collide among themselves, which only ever adds candidates (the operators recheck).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dedupe::fuzzy {

// q of the indexed q-grams. Trigrams: rarer than bigrams, so the count filter reads
// shorter posting lists; short strings are covered by the length keys.
inline constexpr int kQ = 3;
// Lengths (in code points) at or above this share one length bucket.
inline constexpr int kLongLength = 64;

// dedupe::fold() with a fast path for pure ASCII input (same result, no ICU call).
std::string fold_for_match(std::string_view utf8);
// Code points of fold_for_match(utf8): the form the operators compare.
std::u32string match_form(std::string_view utf8);

// The |folded| + kQ - 1 padded grams as occurrence ids (gram and occurrence number).
std::vector<uint64_t> gram_occurrences(std::u32string_view folded);
int32_t gram_key(uint64_t occurrence);
inline int length_bucket(size_t length) {
  return static_cast<int>(length < static_cast<size_t>(kLongLength) ? length : kLongLength);
}
inline int32_t length_key(int bucket) { return 2 * bucket; }
inline bool is_length_key(int32_t key) { return (key & 1) == 0; }

// gram_key() of every gram occurrence (duplicates possible after hashing).
std::vector<int32_t> gram_keys(std::u32string_view folded);

// The distinct gram keys of a folded query and how many of its grams hash to each; total
// is |folded| + kQ - 1, the number of its padded grams.
struct GramProfile {
  std::vector<int32_t> keys;
  std::vector<int32_t> weights;
  int64_t length = 0;
  int64_t total = 0;
};
GramProfile gram_profile(std::u32string_view folded);

// What GIN stores for a value: its gram keys and its length key, sorted and distinct.
std::vector<int32_t> index_keys(std::u32string_view folded);

}  // namespace dedupe::fuzzy
