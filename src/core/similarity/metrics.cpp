#include "core/similarity/metrics.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/error.hpp"
#include "core/similarity/qgrams.hpp"
#include "core/no_postgres.hpp"

namespace dedupe {

std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  int32_t length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
  }
  return out;
}

int levenshtein(std::u32string_view a, std::u32string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

int levenshtein_bounded(std::u32string_view a, std::u32string_view b, int max_distance) {
  if (max_distance < 0) max_distance = 0;
  if (a.size() < b.size()) std::swap(a, b);
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  // No distance exceeds the longer length, so a larger bound means the same; clamping keeps
  // k + 1 and i + k from overflowing (a bound of INT_MAX is input, not a mistake).
  const int k = std::min(max_distance, n);
  if (n - m > k) return k + 1;
  const int over = k + 1;
  // Only cells with |i - j| <= k can hold a value <= k; others are treated as k + 1.
  std::vector<int> prev(m + 1, over), cur(m + 1, over);
  for (int j = 0; j <= std::min(m, k); ++j) prev[j] = j;
  for (int i = 1; i <= n; ++i) {
    int lo = std::max(1, i - k), hi = std::min(m, i + k);
    // Cells just outside the band read as k + 1; the rest of the row is never read.
    cur[lo - 1] = (lo - 1 == 0 && i <= k) ? i : over;
    if (hi + 1 <= m) cur[hi + 1] = over;
    int row_min = cur[lo - 1];
    for (int j = lo; j <= hi; ++j) {
      int v = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      v = std::min(v, prev[j] + 1);
      v = std::min(v, cur[j - 1] + 1);
      cur[j] = std::min(v, over);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > k) return over;  // every path already costs more than k
    std::swap(prev, cur);
  }
  return std::min(prev[m], over);
}

int damerau_levenshtein_osa(std::u32string_view a, std::u32string_view b) {
  if (a.size() < b.size()) std::swap(a, b);
  const size_t n = a.size(), m = b.size();
  // Three rows (i-2, i-1, i) suffice: a transposition looks back two rows. O(m) memory.
  std::vector<int> before(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        cur[j] = std::min(cur[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

double jaro(std::u32string_view a, std::u32string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const int la = static_cast<int>(a.size()), lb = static_cast<int>(b.size());
  const int window = std::max(0, std::max(la, lb) / 2 - 1);
  // Names and address parts are short: flags on the stack, the heap only for long input
  // (batch matching calls this millions of times).
  char stack_a[64] = {0}, stack_b[64] = {0};
  std::vector<char> heap_a, heap_b;
  if (la > 64) heap_a.assign(la, 0);
  if (lb > 64) heap_b.assign(lb, 0);
  char* matched_a = la > 64 ? heap_a.data() : stack_a;
  char* matched_b = lb > 64 ? heap_b.data() : stack_b;
  int matches = 0;
  for (int i = 0; i < la; ++i) {
    int lo = std::max(0, i - window), hi = std::min(lb - 1, i + window);
    for (int j = lo; j <= hi; ++j) {
      if (!matched_b[j] && a[i] == b[j]) {
        matched_a[i] = matched_b[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  int transpositions = 0;
  for (int i = 0, j = 0; i < la; ++i) {
    if (!matched_a[i]) continue;
    while (!matched_b[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = matches;
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3.0;
}

double jaro_winkler(std::u32string_view a, std::u32string_view b) {
  double j = jaro(a, b);
  if (j <= 0.7) return j;
  size_t prefix = 0;
  const size_t limit = std::min<size_t>({4, a.size(), b.size()});
  while (prefix < limit && a[prefix] == b[prefix]) ++prefix;
  return j + prefix * 0.1 * (1.0 - j);
}

namespace {

std::vector<std::u32string_view> word_tokens(std::u32string_view s) {
  std::vector<std::u32string_view> tokens;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    bool word = i < s.size() && u_isalnum(static_cast<UChar32>(s[i]));
    if (!word) {
      if (i > start) tokens.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  return tokens;
}

double best_partner_mean(const std::vector<std::u32string_view>& from,
                         const std::vector<std::u32string_view>& to) {
  double sum = 0;
  for (auto t : from) {
    double best = 0;
    for (auto u : to) best = std::max(best, jaro_winkler(t, u));
    sum += best;
  }
  return sum / from.size();
}

}  // namespace

double qgram_similarity(std::u32string_view a, std::u32string_view b, int q) {
  if (q < 1 || q > qgrams::kMaxQ)
    throw Error(sqlstate::kInvalidParameterValue, "q must be between 1 and 3",
                "q was " + std::to_string(q));
  if (a.empty() && b.empty()) return 1.0;
  const auto ga = qgrams::packed_grams(a, q), gb = qgrams::packed_grams(b, q);
  const size_t common = qgrams::common_count(ga, gb);
  return static_cast<double>(common) / static_cast<double>(ga.size() + gb.size() - common);
}

double token_set_similarity(std::u32string_view a, std::u32string_view b) {
  auto ta = word_tokens(a), tb = word_tokens(b);
  if (ta.empty() && tb.empty()) return 1.0;
  if (ta.empty() || tb.empty()) return 0.0;
  return (best_partner_mean(ta, tb) + best_partner_mean(tb, ta)) / 2.0;
}

}  // namespace dedupe
