// Text forms of the fuzzy-search query values: 'k:query' for an edit-distance search and
// 't:query' for a similarity search. Parsing folds the query (fold_for_match), so the
// stored form is the one the operators compare; everything after the first colon is query.
#pragma once

#include <string>
#include <string_view>

namespace dedupe::fuzzy {

inline constexpr long kMaxDistance = 1000000;

struct EditQueryText {
  int max_distance;
  std::string folded;
};

struct SimilarityQueryText {
  float threshold;
  std::string folded;
};

// 22P02 on bad syntax, 22023 for k outside 0..kMaxDistance or t outside 0..1.
EditQueryText parse_edit_query(std::string_view literal);
SimilarityQueryText parse_similarity_query(std::string_view literal);

// The same checks for values given as numbers (dedupe.within, dedupe.similar_to).
int checked_max_distance(long k);
float checked_threshold(double t);

std::string format_edit_query(int max_distance, std::string_view folded);
std::string format_similarity_query(float threshold, std::string_view folded);

}  // namespace dedupe::fuzzy
