#include "core/similarity/myers.hpp"

#include <algorithm>

#include <unicode/utf8.h>

#include "core/similarity/metrics.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {

MyersPattern::MyersPattern(std::u32string_view pattern)
    : pattern_(pattern), bit_parallel_(!pattern.empty() && pattern.size() <= 64) {
  if (!bit_parallel_) return;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char32_t c = pattern[i];
    const uint64_t bit = uint64_t{1} << i;
    if (c < 128) {
      ascii_[c] |= bit;
      continue;
    }
    auto it = std::lower_bound(other_.begin(), other_.end(), c,
                               [](const auto& entry, char32_t key) { return entry.first < key; });
    if (it == other_.end() || it->first != c) it = other_.insert(it, {c, 0});
    it->second |= bit;
  }
}

uint64_t MyersPattern::mask_of(char32_t c) const {
  if (c < 128) return ascii_[c];
  auto it = std::lower_bound(other_.begin(), other_.end(), c,
                             [](const auto& entry, char32_t key) { return entry.first < key; });
  return it != other_.end() && it->first == c ? it->second : 0;
}

namespace {

// One column step of the bit-parallel recurrence; returns the change of the last row's
// value (+1, 0 or -1).
inline int step(uint64_t eq, uint64_t& pv, uint64_t& mv, uint64_t high) {
  const uint64_t xv = eq | mv;
  const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
  uint64_t ph = mv | ~(xh | pv);
  uint64_t mh = pv & xh;
  const int delta = (ph & high) ? 1 : (mh & high) ? -1 : 0;
  ph = (ph << 1) | 1;  // the first row of a global alignment grows by one per column
  mh <<= 1;
  pv = mh | ~(xv | ph);
  mv = ph & xv;
  return delta;
}

}  // namespace

int MyersPattern::distance_utf8(std::string_view text) const {
  if (!bit_parallel_) return distance(code_points(text));
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  const uint64_t high = uint64_t{1} << (pattern_.size() - 1);
  uint64_t pv = ~uint64_t{0}, mv = 0;
  int score = static_cast<int>(pattern_.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    score += step(mask_of(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c)), pv, mv, high);
  }
  return score;
}

int MyersPattern::distance(std::u32string_view text) const {
  if (!bit_parallel_) return levenshtein(pattern_, text);
  const uint64_t high = uint64_t{1} << (pattern_.size() - 1);
  uint64_t pv = ~uint64_t{0}, mv = 0;
  int score = static_cast<int>(pattern_.size());
  for (char32_t c : text) score += step(mask_of(c), pv, mv, high);
  return score;
}

}  // namespace dedupe
