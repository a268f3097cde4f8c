#include "core/similarity/fuzzy_keys.hpp"

#include <algorithm>

#include "core/normalize/fold.hpp"
#include "core/similarity/metrics.hpp"
#include "core/similarity/qgrams.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::fuzzy {
namespace {

// For ASCII, fold() is: control characters and whitespace runs -> one space (none at the
// ends), A-Z -> a-z. NFKC and the Latin-ASCII transliteration leave ASCII unchanged.
bool fold_ascii(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  bool pending_space = false;
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
    if (c <= 0x20 || c == 0x7F) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : static_cast<char>(c));
  }
  return true;
}

uint32_t mix(uint64_t x) {
  // splitmix64's finalizer: every input bit affects every output bit.
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  x ^= x >> 31;
  return static_cast<uint32_t>(x);
}

}  // namespace

std::string fold_for_match(std::string_view utf8) {
  std::string out;
  if (fold_ascii(utf8, out)) return out;
  return fold(utf8);
}

std::u32string match_form(std::string_view utf8) { return code_points(fold_for_match(utf8)); }

std::vector<uint64_t> gram_occurrences(std::u32string_view folded) {
  // Packed grams take 63 bits and come sorted, so repeats are adjacent and get occurrence
  // numbers 0, 1, ...; the id mixes gram and number (hashing follows, so overlap is harmless).
  std::vector<uint64_t> grams = qgrams::packed_grams(folded, kQ);
  std::vector<uint64_t> ids(grams.size());
  uint64_t occurrence = 0;
  for (size_t i = 0; i < grams.size(); ++i) {
    occurrence = (i > 0 && grams[i] == grams[i - 1]) ? occurrence + 1 : 0;
    ids[i] = grams[i] * 131 + occurrence;
  }
  return ids;
}

int32_t gram_key(uint64_t occurrence) { return static_cast<int32_t>(mix(occurrence) | 1u); }

std::vector<int32_t> gram_keys(std::u32string_view folded) {
  std::vector<int32_t> keys;
  for (uint64_t id : gram_occurrences(folded)) keys.push_back(gram_key(id));
  return keys;
}

GramProfile gram_profile(std::u32string_view folded) {
  std::vector<int32_t> keys = gram_keys(folded);
  std::sort(keys.begin(), keys.end());
  GramProfile p;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0 && keys[i] == keys[i - 1]) {
      ++p.weights.back();
    } else {
      p.keys.push_back(keys[i]);
      p.weights.push_back(1);
    }
  }
  p.length = static_cast<int64_t>(folded.size());
  p.total = static_cast<int64_t>(keys.size());
  return p;
}

std::vector<int32_t> index_keys(std::u32string_view folded) {
  std::vector<int32_t> keys = gram_keys(folded);
  keys.push_back(length_key(length_bucket(folded.size())));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace dedupe::fuzzy
