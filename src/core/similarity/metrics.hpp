// String similarity metrics on Unicode code points (not bytes). Inputs are UTF-8; invalid
// sequences count as one U+FFFD each. None of these fold case: callers that want
// case- and script-insensitive comparison pass dedupe::fold() output.
#pragma once

#include <string>
#include <string_view>

namespace dedupe {

std::u32string code_points(std::string_view utf8);

// Levenshtein distance (insert, delete, substitute; each costs 1).
int levenshtein(std::u32string_view a, std::u32string_view b);
// Bounded Levenshtein: the exact distance when it is <= max_distance, otherwise
// max_distance + 1, computed on a diagonal band with early exit (O(k * min(|a|,|b|))).
int levenshtein_bounded(std::u32string_view a, std::u32string_view b, int max_distance);
// Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions,
// no substring edited twice). python's jellyfish computes the unrestricted variant, which
// differs only when a substring is edited twice ('ca' vs 'abc': OSA 3, unrestricted 2).
int damerau_levenshtein_osa(std::u32string_view a, std::u32string_view b);

double jaro(std::u32string_view a, std::u32string_view b);
// Jaro-Winkler with prefix scale 0.1 over a common prefix of at most 4, applied when the
// Jaro similarity exceeds 0.7 (Winkler's boost threshold).
double jaro_winkler(std::u32string_view a, std::u32string_view b);

// Jaccard similarity of the multisets of padded q-grams: each string is padded with q-1
// sentinels (U+E000 before, U+E001 after) at both ends, so 'ab' with q=2 has grams "^a", "ab",
// "b$". Two empty strings score 1. q is 1, 2 or 3 (22023 otherwise).
double qgram_similarity(std::u32string_view a, std::u32string_view b, int q);

// Order-insensitive similarity of the word tokens (split on anything not a letter or digit):
// every token is scored against its best partner on the other side with Jaro-Winkler, and
// the two directions are averaged, so 'Smith, John' vs 'John Smith' is 1.
double token_set_similarity(std::u32string_view a, std::u32string_view b);

}  // namespace dedupe
