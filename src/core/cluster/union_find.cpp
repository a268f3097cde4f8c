#include "core/cluster/union_find.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

#include "core/no_postgres.hpp"

namespace dedupe::cluster {

UnionFind::UnionFind(size_t n)
    : parent_(n),
      size_(n, 1),
      min_link_(n, std::numeric_limits<double>::infinity()),
      components_(n) {
  std::iota(parent_.begin(), parent_.end(), 0u);
}

uint32_t UnionFind::find(uint32_t x) {
  while (parent_[x] != x) {
    parent_[x] = parent_[parent_[x]];
    x = parent_[x];
  }
  return x;
}

bool UnionFind::unite(uint32_t a, uint32_t b, double score) {
  uint32_t ra = find(a), rb = find(b);
  if (ra == rb) {
    min_link_[ra] = std::min(min_link_[ra], score);
    return false;
  }
  if (size_[ra] < size_[rb]) std::swap(ra, rb);
  parent_[rb] = ra;
  size_[ra] += size_[rb];
  min_link_[ra] = std::min({min_link_[ra], min_link_[rb], score});
  --components_;
  return true;
}

}  // namespace dedupe::cluster
