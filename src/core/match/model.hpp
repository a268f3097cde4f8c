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
#include "core/match/write_path_evidence.hpp"

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
// 'null', with m and u in (0, 1]; lambda in (0, 1). A level added after models were stored
// (email's same_mailbox_tag_differs) may be missing: it then takes the parameters of the
// next weaker level (one_edit), so older models score as before. Throws Error(22023) naming
// the problem.
Model model_from_levels(
    double lambda, const std::vector<LevelParams>& levels,
    const std::vector<std::pair<std::vector<std::string>, double>>& dependence = {});

// A batch pair's verdict: its Fellegi-Sunter weight, and its probability, which is 1 when
// the write path's deterministic rules link the pair (see write_path_evidence.hpp).
struct PairScore {
  double match_weight = 0;
  double probability = 0;
  const char* evidence = nullptr;  // the write path's rule that applied, else null
  bool rule_link = false;          // that rule links the pair
};

// One comparison of a pair, as Scorer::explain() reports it.
struct ComparisonExplanation {
  Role role;
  int level = kNullLevel;
  double m = 0, u = 0;         // the model's parameters for the level (0 for null)
  double value_frequency = 0;  // exact on a term-frequency role: the value's share, else 0
  double weight = 0;           // what the comparison added: log2(m / u) or its adjustment
  bool capped = false;         // a weaker level held to the exact level's weight
  bool ignored = false;        // left out by a write-path rule (shared key, names contradict)
};

struct PairExplanation {
  double prior_weight = 0;  // log2(lambda / (1 - lambda))
  std::vector<ComparisonExplanation> comparisons;
  double dependence_correction = 0;  // bits taken off for address parts agreeing together
  PairScore score;
};

// The model's weights precomputed for one record set.
class Scorer {
 public:
  // Throws Error(22023) when a role mapped in set has no parameters in the model.
  // term_frequency false: exact agreements weigh log2(m/u) whatever the value (for a record
  // set too small to say how common a value is: the write path's candidates).
  Scorer(const Model& model, const RecordSet& set, bool term_frequency = true);
  // The Fellegi-Sunter weight alone (no write-path rule).
  double match_weight(uint32_t a, uint32_t b) const { return weight(a, b, 0, nullptr); }
  // Weight and probability with the write path's deterministic rules applied.
  PairScore score(uint32_t a, uint32_t b) const;
  // score(a, b) comparison by comparison; explain(a, b).score == score(a, b).
  PairExplanation explain(uint32_t a, uint32_t b) const;
  static double probability(double match_weight);
  // The weight a probability threshold corresponds to.
  static double weight_for(double probability);

 private:
  struct Entry {
    Role role;
    std::vector<double> weight;  // log2(m/u) per level, 0 for null
    bool term_frequency;
    double log2_m_exact;
    std::vector<double> m, u;
  };
  double weight(uint32_t a, uint32_t b, uint32_t ignored_roles, PairExplanation* trace) const;
  const RecordSet& set_;
  double prior_;
  std::vector<Entry> entries_;
  std::vector<int> restating_bit_;  // per entry: its bit among the roles that may restate, or -1
  std::vector<double> correction_;  // per mask of exactly agreeing address roles
};

}  // namespace dedupe::match
