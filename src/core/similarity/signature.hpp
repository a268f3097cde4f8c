// Bit signatures of gram keys, as the GiST opclass stores them in inner pages (the union of
// everything below) and for values too long to keep whole in a leaf. A gram key sets bit
// key mod kSignatureBits; a set bit means "maybe present", a clear bit "surely absent", so
// every bound below holds for each string whose keys are covered by the signature.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/similarity/fuzzy_keys.hpp"

namespace dedupe::fuzzy {

inline constexpr int kSignatureBits = 512;
inline constexpr int kSignatureWords = kSignatureBits / 64;

struct Signature {
  uint64_t words[kSignatureWords] = {};

  void add(int32_t gram_key);
  bool has(int32_t gram_key) const;
  void merge(const Signature& other);
  int popcount() const;
  // Bits set in other but not in this.
  int added_by(const Signature& other) const;
  int hamming(const Signature& other) const;
};

Signature signature_of(const std::vector<int32_t>& gram_keys);

// A subtree (or one lossy leaf): the union of its grams and the range of its lengths.
struct Region {
  Signature signature;
  uint32_t min_length = 0;
  uint32_t max_length = 0;
};

// A lower bound on lev(query, s) for every s in the region: the length gap, and the count
// filter's d >= (max(|q|, |s|) + q - 1 - common) / q with common <= grams the signature may
// hold, both taken at the admissible length closest to |query| (where both are smallest).
int edit_distance_lower_bound(const GramProfile& query, const Region& region);

// An upper bound on the padded-trigram similarity of the query to every s in the region.
double similarity_upper_bound(const GramProfile& query, const Region& region);

// How much a region grows to take in another one (new signature bits, wider lengths).
double region_growth(const Region& into, const Region& added);

// Splits regions into two groups (Guttman's quadratic split: the two most distant seeds,
// then each region to the side it enlarges least). Returns true for the left side; both
// sides are non-empty when there are at least two regions.
std::vector<bool> split_regions(const std::vector<Region>& regions);

}  // namespace dedupe::fuzzy
