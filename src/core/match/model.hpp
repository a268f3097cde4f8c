// A Fellegi-Sunter model: for every mapped role, the probability of each comparison level
// among true matches (m) and among non-matches (u), plus the probability that two random
// records match (lambda). A pair's match weight is log2 of the prior odds plus the sum of
// log2(m/u) over its comparisons; exact agreements on term-frequency roles use the shared
// value's frequency in the data instead of u.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/match/comparisons.hpp"
#include "core/match/record_set.hpp"

namespace dedupe::match {

struct ComparisonParams {
  Role role;
  std::vector<double> m, u;  // indexed by level; index 0 (null) unused
};

// Address parts that agree together more often among non-matches than their u values
// multiplied say (a postcode implies its city): a pair agreeing exactly on all of `roles`
// gets `bits` less than the sum of their weights. With several such sets the largest
// correction whose roles all agree applies.
struct Dependence {
  std::vector<Role> roles;
  double bits = 0;
};

struct Model {
  double lambda = 1e-4;
  std::vector<ComparisonParams> comparisons;  // role order
  std::vector<Dependence> dependence;
  std::string training;  // JSON object describing how it was estimated ({} when given)

  const ComparisonParams* find(Role role) const;
  // {"format": 1, "lambda": ..., "comparisons": [{"role": ..., "levels": [{"level": ...,
  // "m": ..., "u": ...}, ...]}, ...], "dependence": [{"roles": [...], "bits": ...}],
  // "training": {...}}
  std::string to_json() const;
};

// One level's parameters as stored (see Model::to_json()), for from_levels().
struct LevelParams {
  std::string role, level;
  double m = 0, u = 0;
};

// Builds a model from stored parameters. Every role needs every one of its levels but
// 'null', with m and u in (0, 1]; lambda in (0, 1). Throws Error(22023) naming the problem.
Model model_from_levels(
    double lambda, const std::vector<LevelParams>& levels,
    const std::vector<std::pair<std::vector<std::string>, double>>& dependence = {});

// The model's weights precomputed for one record set.
class Scorer {
 public:
  // Throws Error(22023) when a role mapped in set has no parameters in the model.
  Scorer(const Model& model, const RecordSet& set);
  double match_weight(uint32_t a, uint32_t b) const;
  static double probability(double match_weight);
  // The weight a probability threshold corresponds to.
  static double weight_for(double probability);

 private:
  struct Entry {
    Role role;
    std::vector<double> weight;  // log2(m/u) per level, 0 for null
    bool term_frequency;
    double log2_m_exact;
  };
  const RecordSet& set_;
  double prior_;
  std::vector<Entry> entries_;
  std::vector<int> address_bit_;    // per entry: its bit among the address roles, or -1
  std::vector<double> correction_;  // per mask of exactly agreeing address roles
};

}  // namespace dedupe::match
