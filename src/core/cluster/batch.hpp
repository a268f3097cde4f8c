// The batch matcher end to end, on a RecordSet: candidate pairs from blocking, scored by a
// Fellegi-Sunter model, and clusters as connected components over the pairs whose match
// probability reaches a threshold. dedupe.candidate_pairs / dedupe.cluster / dedupe.train
// are thin PostgreSQL wrappers around these.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/cluster/blocking.hpp"
#include "core/match/model.hpp"
#include "core/match/record_set.hpp"
#include "core/match/run_control.hpp"

namespace dedupe::cluster {

struct ScoredPair {
  uint32_t a, b;                     // record indexes
  double match_weight, probability;  // probability 1 when a write-path rule links the pair
  const std::string* rule;
  const char* evidence;  // the write path's deterministic rule that applied, or null
};

// Scores every candidate pair (Scorer::score: the model, and the write path's deterministic
// rules where the pair shares an external id, email or phone) and passes those with probability >=
// min_probability to emit.
void score_pairs(const match::RecordSet& set, const CandidatePairs& pairs,
                 const match::Scorer& scorer, double min_probability,
                 const match::RunControl& control,
                 const std::function<void(const ScoredPair&)>& emit);

struct Clustering {
  std::vector<int64_t> cluster_id;  // per record: the smallest row id in its cluster
  std::vector<uint32_t> size;       // per record: its cluster's size
  std::vector<double> min_link;     // per record: lowest link probability (NaN alone)
  size_t clusters = 0;
  uint64_t links = 0;  // pairs at or above the threshold
};

Clustering cluster_records(const match::RecordSet& set, const CandidatePairs& pairs,
                           const match::Scorer& scorer, double threshold,
                           const match::RunControl& control);

}  // namespace dedupe::cluster
