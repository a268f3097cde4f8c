// Bit-parallel Levenshtein distance (Myers 1999, in Hyyrö's formulation for global
// distance): the pattern's columns of the dynamic program live in one 64-bit word, so one
// text code point costs a handful of word operations. Used where one query is compared with
// many stored values (GiST leaves). Patterns longer than 64 code points fall back to the
// dynamic program.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dedupe {

class MyersPattern {
 public:
  explicit MyersPattern(std::u32string_view pattern);

  // lev(pattern, text); text is UTF-8 (invalid sequences count as U+FFFD, as code_points()).
  int distance_utf8(std::string_view text) const;
  int distance(std::u32string_view text) const;

 private:
  uint64_t mask_of(char32_t c) const;

  std::u32string pattern_;
  bool bit_parallel_;
  uint64_t ascii_[128] = {};
  std::vector<std::pair<char32_t, uint64_t>> other_;  // sorted by code point
};

}  // namespace dedupe
