#include "core/match/em.hpp"

#include <algorithm>
#include <cmath>

#include "core/match/comparisons.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::match {

Pattern compare_pattern(const RecordSet& set, const std::vector<Role>& roles, uint32_t a,
                        uint32_t b) {
  Pattern p = 0;
  for (Role r : roles) p = with_level(p, r, compare(set, r, a, b));
  return p;
}

EmResult expectation_maximization(const PatternCounts& patterns, const std::vector<Role>& roles,
                                  const LevelTable& u, LevelTable m_start, double lambda_start,
                                  int max_iterations, double tolerance) {
  // A floor keeps a level never seen among matches from a weight of minus infinity.
  constexpr double kFloor = 1e-6;
  EmResult result{lambda_start, std::move(m_start)};
  uint64_t total = 0;
  for (const auto& [p, n] : patterns) total += n;
  if (total == 0) return result;

  std::vector<std::pair<Pattern, double>> items(patterns.begin(), patterns.end());
  for (int iteration = 1; iteration <= max_iterations; ++iteration) {
    LevelTable m_sum(kRoleCount);
    for (Role r : roles) m_sum[role_index(r)].assign(result.m[role_index(r)].size(), 0.0);
    double matches = 0;
    const double log_prior = std::log(result.lambda), log_prior_u = std::log1p(-result.lambda);
    for (const auto& [pattern, n] : items) {
      double lm = log_prior, lu = log_prior_u;
      for (Role r : roles) {
        const int level = level_of(pattern, r);
        if (level == kNullLevel) continue;
        lm += std::log(result.m[role_index(r)][level]);
        lu += std::log(u[role_index(r)][level]);
      }
      const double posterior = 1.0 / (1.0 + std::exp(lu - lm));
      const double weight = posterior * n;
      matches += weight;
      for (Role r : roles) {
        const int level = level_of(pattern, r);
        if (level != kNullLevel) m_sum[role_index(r)][level] += weight;
      }
    }
    double change = std::abs(matches / total - result.lambda);
    result.lambda = std::clamp(matches / total, 1e-9, 1 - 1e-9);
    for (Role r : roles) {
      auto& sums = m_sum[role_index(r)];
      double sum = 0;
      for (size_t level = 1; level < sums.size(); ++level) sum += sums[level];
      if (sum <= 0) continue;  // never compared: keep the starting values
      auto& m = result.m[role_index(r)];
      double norm = 0;
      for (size_t level = 1; level < sums.size(); ++level)
        norm += std::max(sums[level] / sum, kFloor);
      for (size_t level = 1; level < sums.size(); ++level) {
        const double next = std::max(sums[level] / sum, kFloor) / norm;
        change = std::max(change, std::abs(next - m[level]));
        m[level] = next;
      }
    }
    result.iterations = iteration;
    if (change < tolerance) {
      result.converged = true;
      break;
    }
  }
  return result;
}

}  // namespace dedupe::match
