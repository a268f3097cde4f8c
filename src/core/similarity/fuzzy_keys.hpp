// What the fuzzy-search indexes store for a string: its folded form, the padded trigrams of
// that form hashed to int32 keys (one key per occurrence, so repeated grams count as in a
// multiset), and one key for its length. Gram keys are odd, length keys even, so they never
// collide with each other; gram keys may collide among themselves, which only ever adds
// candidates (the operators recheck), never loses one.
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
// Lengths (in code points) at or above this share one length key.
inline constexpr int kLongLength = 255;

// dedupe::fold() with a fast path for pure ASCII input (same result, no ICU call).
std::string fold_for_match(std::string_view utf8);
// Code points of fold_for_match(utf8): the form the operators compare.
std::u32string match_form(std::string_view utf8);

// Hashed keys of the |folded| + kQ - 1 padded kQ-grams of a folded string, one per gram
// occurrence (the 2nd 'ana' of 'banana' gets its own key); duplicates possible after hashing.
std::vector<int32_t> gram_keys(std::u32string_view folded);
int32_t length_key(size_t length);
inline bool is_length_key(int32_t key) { return (key & 1) == 0; }
inline int length_of_key(int32_t key) { return key / 2; }

// The distinct gram keys of a folded query and how many of its grams hash to each; total
// is |folded| + kQ - 1, the number of its padded grams.
struct GramProfile {
  std::vector<int32_t> keys;
  std::vector<int32_t> weights;
  int64_t length = 0;
  int64_t total = 0;
};
GramProfile gram_profile(std::u32string_view folded);

// Everything an index stores for one value: sorted, distinct gram keys plus its length key.
std::vector<int32_t> index_keys(std::u32string_view folded);

}  // namespace dedupe::fuzzy
