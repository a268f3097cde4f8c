#include "core/similarity/qgrams.hpp"

#include <algorithm>

#include "core/no_postgres.hpp"

namespace dedupe::qgrams {

std::vector<uint64_t> packed_grams(std::u32string_view s, int q) {
  const size_t padded = s.size() + 2 * static_cast<size_t>(q - 1);
  auto at = [&](size_t i) -> uint64_t {
    if (i < static_cast<size_t>(q - 1)) return kStartPad;
    if (i >= s.size() + q - 1) return kEndPad;
    return s[i - (q - 1)] & 0x1FFFFF;
  };
  std::vector<uint64_t> grams;
  grams.reserve(padded - q + 1);
  for (size_t i = 0; i + q <= padded; ++i) {
    uint64_t g = 0;
    for (int j = 0; j < q; ++j) g = (g << 21) | at(i + j);
    grams.push_back(g);
  }
  std::sort(grams.begin(), grams.end());
  return grams;
}

size_t common_count(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t i = 0, j = 0, common = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return common;
}

}  // namespace dedupe::qgrams
