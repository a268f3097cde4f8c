#include "core/similarity/signature.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/no_postgres.hpp"

namespace dedupe::fuzzy {
namespace {

// One unit of length difference is one edit; one missing gram is a third of one. Weigh them
// accordingly when choosing where a region goes.
constexpr double kLengthWeight = 3.0;

uint32_t bit_of(int32_t key) { return static_cast<uint32_t>(key) % kSignatureBits; }

int64_t present_weight(const GramProfile& query, const Signature& s) {
  int64_t present = 0;
  for (size_t i = 0; i < query.keys.size(); ++i)
    if (s.has(query.keys[i])) present += query.weights[i];
  return present;
}

int64_t closest_length(int64_t length, const Region& r) {
  return std::clamp<int64_t>(length, r.min_length, r.max_length);
}

double distance(const Region& a, const Region& b) {
  int64_t gap = 0;
  if (a.max_length < b.min_length) gap = b.min_length - a.max_length;
  if (b.max_length < a.min_length) gap = a.min_length - b.max_length;
  return a.signature.hamming(b.signature) + kLengthWeight * static_cast<double>(gap);
}

Region merged(Region a, const Region& b) {
  a.signature.merge(b.signature);
  a.min_length = std::min(a.min_length, b.min_length);
  a.max_length = std::max(a.max_length, b.max_length);
  return a;
}

}  // namespace

void Signature::add(int32_t key) { words[bit_of(key) / 64] |= uint64_t{1} << (bit_of(key) % 64); }
bool Signature::has(int32_t key) const {
  return (words[bit_of(key) / 64] >> (bit_of(key) % 64)) & 1;
}
void Signature::merge(const Signature& o) {
  for (int i = 0; i < kSignatureWords; ++i) words[i] |= o.words[i];
}
int Signature::popcount() const {
  int n = 0;
  for (uint64_t w : words) n += __builtin_popcountll(w);
  return n;
}
int Signature::added_by(const Signature& o) const {
  int n = 0;
  for (int i = 0; i < kSignatureWords; ++i) n += __builtin_popcountll(o.words[i] & ~words[i]);
  return n;
}
int Signature::hamming(const Signature& o) const {
  int n = 0;
  for (int i = 0; i < kSignatureWords; ++i) n += __builtin_popcountll(o.words[i] ^ words[i]);
  return n;
}

Signature signature_of(const std::vector<int32_t>& gram_keys) {
  Signature s;
  for (int32_t key : gram_keys) s.add(key);
  return s;
}

int edit_distance_lower_bound(const GramProfile& query, const Region& region) {
  const int64_t length = closest_length(query.length, region);
  const int64_t gap = std::abs(length - query.length);
  const int64_t common = std::min(present_weight(query, region.signature), length + kQ - 1);
  const int64_t missing = std::max(query.length, length) + kQ - 1 - common;
  const int64_t by_count = missing > 0 ? (missing + kQ - 1) / kQ : 0;
  return static_cast<int>(std::min<int64_t>(std::max(gap, by_count), INT32_MAX));
}

double similarity_upper_bound(const GramProfile& query, const Region& region) {
  const int64_t present = present_weight(query, region.signature);
  // c / (|A| + |B| - c) with c <= min(present, |B|) peaks at |B| = present.
  const int64_t b = closest_length(present - (kQ - 1), region) + kQ - 1;
  const int64_t c = std::min(present, b);
  if (query.total + b - c <= 0) return 1.0;
  return static_cast<double>(c) / static_cast<double>(query.total + b - c);
}

double region_growth(const Region& into, const Region& added) {
  double wider = 0;
  if (added.min_length < into.min_length) wider += into.min_length - added.min_length;
  if (added.max_length > into.max_length) wider += added.max_length - into.max_length;
  return into.signature.added_by(added.signature) + kLengthWeight * wider;
}

std::vector<bool> split_regions(const std::vector<Region>& regions) {
  const size_t n = regions.size();
  std::vector<bool> left(n, true);
  if (n < 2) return left;
  size_t seed_l = 0, seed_r = 1;
  double worst = -1;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      double d = distance(regions[i], regions[j]);
      if (d > worst) worst = d, seed_l = i, seed_r = j;
    }
  Region l = regions[seed_l], r = regions[seed_r];
  left[seed_r] = false;
  // Place the regions with the clearest preference first (Guttman).
  std::vector<size_t> order;
  std::vector<double> preference(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (i == seed_l || i == seed_r) continue;
    preference[i] = std::abs(region_growth(l, regions[i]) - region_growth(r, regions[i]));
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return preference[a] > preference[b]; });
  size_t n_left = 1, n_right = 1;
  for (size_t i : order) {
    double gl = region_growth(l, regions[i]), gr = region_growth(r, regions[i]);
    bool go_left = gl < gr || (gl == gr && n_left <= n_right);
    // Keep both pages reasonably full.
    const size_t remaining = n - n_left - n_right;
    if (n_left + remaining <= n / 4) go_left = true;
    if (n_right + remaining <= n / 4) go_left = false;
    if (go_left) {
      l = merged(l, regions[i]);
      ++n_left;
    } else {
      r = merged(r, regions[i]);
      left[i] = false;
      ++n_right;
    }
  }
  return left;
}

}  // namespace dedupe::fuzzy
