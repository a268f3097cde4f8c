#include "core/similarity/count_filter.hpp"

#include <algorithm>
#include <cmath>

#include "core/similarity/fuzzy_keys.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::fuzzy {
namespace {

// needed_for(length) grows with the length, so its minimum over [lo, hi] is at lo. When it
// is positive, gram keys and that count suffice; otherwise add one length key per length
// bucket in [lo, hi], each with the count at the bucket's smallest length (the last bucket
// stands for every length >= kLongLength).
template <typename NeededFor>
CountFilter build(std::u32string_view query, size_t lo, size_t hi, NeededFor needed_for) {
  const GramProfile profile = gram_profile(query);
  CountFilter f;
  f.keys = profile.keys;
  f.weight = profile.weights;
  f.needed.assign(f.keys.size(), -1);
  f.needed_any = std::max<int32_t>(0, needed_for(lo));
  if (f.needed_any > 0) return f;
  for (int bucket = length_bucket(lo); bucket <= length_bucket(hi); ++bucket) {
    f.keys.push_back(length_key(bucket));
    f.weight.push_back(0);
    f.needed.push_back(std::max<int32_t>(0, needed_for(std::max<size_t>(lo, bucket))));
  }
  return f;
}

}  // namespace

CountFilter edit_distance_filter(std::u32string_view query, int k) {
  const long q = kQ, n = static_cast<long>(query.size());
  const size_t lo = n > k ? static_cast<size_t>(n - k) : 0;
  const size_t hi = static_cast<size_t>(n) + static_cast<size_t>(k);
  return build(query, lo, hi, [&](size_t length) {
    long needed = std::max<long>(n, static_cast<long>(length)) + q - 1 - static_cast<long>(k) * q;
    return static_cast<int32_t>(std::clamp<long>(needed, 0, INT32_MAX));
  });
}

CountFilter similarity_filter(std::u32string_view query, double t) {
  if (!(t > 0)) {  // NaN too: every row is a candidate, never a cast of NaN to size_t
    CountFilter all;
    all.match_all = true;
    return all;
  }
  t = std::min(t, 1.0);
  const double a = static_cast<double>(query.size() + kQ - 1);  // grams of the query
  // Widen by a relative epsilon so rounding can only add candidates.
  const double eps = 1e-9;
  const double b_lo = std::floor(t * a * (1 - eps)), b_hi = std::ceil(a / t * (1 + eps));
  const size_t lo = b_lo > kQ - 1 ? static_cast<size_t>(b_lo) - (kQ - 1) : 0;
  const size_t hi = b_hi > kQ - 1 ? static_cast<size_t>(std::min(b_hi, 1e9)) - (kQ - 1) : 0;
  return build(query, lo, hi, [&](size_t length) {
    // t > 0 means at least one shared gram, so this is never <= 0.
    const double b = static_cast<double>(length + kQ - 1);
    return static_cast<int32_t>(std::max(1.0, std::ceil(t * (a + b) / (1 + t) - 1e-7)));
  });
}

Tri count_filter_verdict(const int32_t* weight, const int32_t* needed, size_t n_keys,
                         int32_t needed_any, const Tri* states) {
  int64_t reachable = 0;  // matched gram weight if every 'maybe' gram key is present
  bool length_keyed = false;
  for (size_t i = 0; i < n_keys; ++i) {
    if (needed[i] >= 0) {
      length_keyed = true;
    } else if (states[i] != Tri::kFalse) {
      reachable += weight[i];
    }
  }
  if (!length_keyed) return reachable >= needed_any ? Tri::kMaybe : Tri::kFalse;
  for (size_t i = 0; i < n_keys; ++i)
    if (needed[i] >= 0 && states[i] != Tri::kFalse && reachable >= needed[i]) return Tri::kMaybe;
  return Tri::kFalse;
}

}  // namespace dedupe::fuzzy
