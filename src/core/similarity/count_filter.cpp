#include "core/similarity/count_filter.hpp"

#include <algorithm>
#include <cmath>

#include "core/similarity/fuzzy_keys.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::fuzzy {
namespace {

// One slot per length bucket in [bucket(lo), bucket(hi)], each with the count a row of that
// length needs: needed_for(length), at the bucket's smallest length (needed grows with the
// length, so the shared last bucket uses kLongLength, or lo if larger).
template <typename NeededFor>
CountFilter build(std::u32string_view query, size_t lo, size_t hi, NeededFor needed_for) {
  const std::vector<uint64_t> grams = gram_occurrences(query);
  CountFilter f;
  for (int bucket = length_bucket(lo); bucket <= length_bucket(hi); ++bucket) {
    const size_t smallest = std::max<size_t>(lo, static_cast<size_t>(bucket));
    const int32_t needed = std::max<int32_t>(0, needed_for(smallest));
    const int32_t slot = static_cast<int32_t>(f.needed.size());
    f.needed.push_back(needed);
    if (needed == 0) {  // every row of this length is a candidate
      f.keys.push_back(length_key(bucket));
      f.slot.push_back(slot);
      f.weight.push_back(0);
      continue;
    }
    std::vector<int32_t> keys;
    for (uint64_t g : grams) keys.push_back(gram_key_in_bucket(g, bucket));
    std::sort(keys.begin(), keys.end());
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0 && keys[i] == keys[i - 1]) {
        ++f.weight.back();  // a hash collision inside the query: one key, counted twice
        continue;
      }
      f.keys.push_back(keys[i]);
      f.slot.push_back(slot);
      f.weight.push_back(1);
    }
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
  if (t <= 0) {
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
    const double b = static_cast<double>(length + kQ - 1);
    return static_cast<int32_t>(std::max(1.0, std::ceil(t * (a + b) / (1 + t) - 1e-7)));
  });
}

Tri count_filter_verdict(const int32_t* slot, const int32_t* weight, size_t n_keys,
                         const int32_t* needed, size_t n_slots, const Tri* states) {
  // Matched weight per slot if every 'maybe' key turns out present; a length key (weight 0)
  // counts as reaching its slot's needed count of 0.
  constexpr size_t kStack = 256;
  int64_t on_stack[kStack];
  std::vector<int64_t> on_heap;
  int64_t* reachable = on_stack;
  if (n_slots > kStack) {
    on_heap.resize(n_slots);
    reachable = on_heap.data();
  }
  std::fill(reachable, reachable + n_slots, -1);
  for (size_t i = 0; i < n_keys; ++i) {
    if (states[i] == Tri::kFalse) continue;
    int64_t& r = reachable[slot[i]];
    r = std::max<int64_t>(r, 0) + weight[i];
  }
  for (size_t s = 0; s < n_slots; ++s)
    if (reachable[s] >= 0 && reachable[s] >= needed[s]) return Tri::kMaybe;
  return Tri::kFalse;
}

}  // namespace dedupe::fuzzy
