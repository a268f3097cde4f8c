// Padded q-grams packed into 64-bit integers: 21 bits per code point, so q <= 3 grams are
// exact (no hashing) and a multiset of grams is a sorted vector, compared by merging.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace dedupe::qgrams {

inline constexpr int kMaxQ = 3;
// Private-use sentinels that pad a string: they never occur in folded text.
inline constexpr char32_t kStartPad = U'\uE000';
inline constexpr char32_t kEndPad = U'\uE001';

// The |s| + q - 1 padded q-grams of s (1 <= q <= kMaxQ), packed and sorted.
std::vector<uint64_t> packed_grams(std::u32string_view s, int q);

// Size of the multiset intersection of two sorted vectors.
size_t common_count(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

}  // namespace dedupe::qgrams
