// Expectation-maximization of a Fellegi-Sunter model's m probabilities over the comparison
// patterns of blocked pairs, with u held fixed (estimated beforehand from random pairs), as
// Splink does. A pattern is the tuple of comparison levels of one pair; pairs with equal
// patterns are counted once, so EM's cost depends on the number of distinct patterns.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/match/record_set.hpp"
#include "core/match/roles.hpp"

namespace dedupe::match {

// Three bits per role: the level of each comparison (0 = null or not compared).
using Pattern = uint64_t;
inline int level_of(Pattern p, Role r) { return static_cast<int>((p >> (3 * role_index(r))) & 7); }
inline Pattern with_level(Pattern p, Role r, int level) {
  return p | (static_cast<Pattern>(level) << (3 * role_index(r)));
}

// The comparison levels of records a and b on the given roles.
Pattern compare_pattern(const RecordSet& set, const std::vector<Role>& roles, uint32_t a,
                        uint32_t b);

using PatternCounts = std::unordered_map<Pattern, uint64_t>;

// Parameters indexed [role_index][level].
using LevelTable = std::vector<std::vector<double>>;

struct EmResult {
  double lambda = 0;  // share of matches among the pairs counted
  LevelTable m;
  int iterations = 0;
  bool converged = false;
};

// Estimates lambda and m[r] for r in `roles` from the patterns; u[r] is fixed. m_start holds
// starting values for every role in `roles`.
EmResult expectation_maximization(const PatternCounts& patterns, const std::vector<Role>& roles,
                                  const LevelTable& u, LevelTable m_start, double lambda_start,
                                  int max_iterations = 100, double tolerance = 1e-6);

}  // namespace dedupe::match
