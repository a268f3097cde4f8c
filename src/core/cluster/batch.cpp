#include "core/cluster/batch.hpp"

#include <cmath>
#include <limits>

#include "core/cluster/union_find.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::cluster {

void score_pairs(const match::RecordSet& set, const CandidatePairs& pairs,
                 const match::Scorer& scorer, double min_probability,
                 const match::RunControl& control,
                 const std::function<void(const ScoredPair&)>& emit) {
  match::InterruptTicker ticker(control, 1024);
  for (size_t i = 0; i < pairs.size(); ++i) {
    ticker.tick();
    if (i % (1u << 20) == 0) control.progress(match::Progress{"scoring", set.size(), i, 0});
    const uint32_t a = pairs.a(i), b = pairs.b(i);
    const match::PairScore s = scorer.score(a, b);
    if (s.probability >= min_probability)
      emit(ScoredPair{a, b, s.match_weight, s.probability, &pairs.rule(i), s.evidence});
  }
}

Clustering cluster_records(const match::RecordSet& set, const CandidatePairs& pairs,
                           const match::Scorer& scorer, double threshold,
                           const match::RunControl& control) {
  const size_t n = set.size();
  UnionFind components(n);
  Clustering out;
  score_pairs(set, pairs, scorer, threshold, control, [&](const ScoredPair& p) {
    components.unite(p.a, p.b, p.probability);
    ++out.links;
  });
  control.progress(match::Progress{"clustering", n, pairs.size(), components.components()});

  std::vector<int64_t> smallest(n, std::numeric_limits<int64_t>::max());
  for (uint32_t rec = 0; rec < n; ++rec) {
    const uint32_t root = components.find(rec);
    smallest[root] = std::min(smallest[root], set.row_id(rec));
  }
  out.cluster_id.resize(n);
  out.size.resize(n);
  out.min_link.resize(n);
  for (uint32_t rec = 0; rec < n; ++rec) {
    const uint32_t root = components.find(rec);
    out.cluster_id[rec] = smallest[root];
    out.size[rec] = components.size_of(rec);
    const double link = components.min_link(rec);
    out.min_link[rec] = std::isinf(link) ? std::nan("") : link;
  }
  out.clusters = components.components();
  return out;
}

}  // namespace dedupe::cluster
