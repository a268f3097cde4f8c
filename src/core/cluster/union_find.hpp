// Connected components over record indexes: union by size with path halving, plus the
// lowest link score seen inside each component.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace dedupe::cluster {

class UnionFind {
 public:
  explicit UnionFind(size_t n);
  uint32_t find(uint32_t x);
  // Joins the components of a and b through a link scored `score`; returns true when they
  // were separate.
  bool unite(uint32_t a, uint32_t b, double score);
  uint32_t size_of(uint32_t x) { return size_[find(x)]; }
  // The lowest link score inside x's component (+infinity for a single record).
  double min_link(uint32_t x) { return min_link_[find(x)]; }
  size_t components() const { return components_; }

 private:
  std::vector<uint32_t> parent_, size_;
  std::vector<double> min_link_;
  size_t components_;
};

}  // namespace dedupe::cluster
