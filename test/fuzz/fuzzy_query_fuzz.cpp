// libFuzzer target: the fuzzy-search query parsers and everything a query string flows into
// (folding, index keys, count filters, metrics) must accept any bytes: a dedupe::Error is
// the only allowed failure, and the filters must never reject the query's own string.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <string_view>

#include "core/error.hpp"
#include "core/similarity/count_filter.hpp"
#include "core/similarity/fuzzy_keys.hpp"
#include "core/similarity/fuzzy_query_text.hpp"
#include "core/similarity/metrics.hpp"
#include "core/similarity/myers.hpp"

namespace {

bool accepts_itself(const dedupe::fuzzy::CountFilter& f, std::u32string_view s) {
  if (f.match_all) return true;
  const auto keys = dedupe::fuzzy::index_keys(s);
  std::vector<dedupe::fuzzy::Tri> states;
  for (int32_t key : f.keys)
    states.push_back(std::binary_search(keys.begin(), keys.end(), key)
                         ? dedupe::fuzzy::Tri::kTrue
                         : dedupe::fuzzy::Tri::kFalse);
  return dedupe::fuzzy::count_filter_verdict(f, states.data()) != dedupe::fuzzy::Tri::kFalse;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  try {
    const auto e = dedupe::fuzzy::parse_edit_query(input);
    const std::u32string q = dedupe::code_points(e.folded);
    if (!accepts_itself(dedupe::fuzzy::edit_distance_filter(q, e.max_distance % 8), q)) abort();
  } catch (const dedupe::Error&) {
  }
  try {
    const auto s = dedupe::fuzzy::parse_similarity_query(input);
    const std::u32string q = dedupe::code_points(s.folded);
    if (!accepts_itself(dedupe::fuzzy::similarity_filter(q, s.threshold), q)) abort();
  } catch (const dedupe::Error&) {
  }
  const std::u32string raw = dedupe::code_points(input.substr(0, 300));
  const std::u32string half = raw.substr(0, raw.size() / 2);
  if (dedupe::MyersPattern(half).distance(raw) != dedupe::levenshtein(half, raw)) abort();
  dedupe::damerau_levenshtein_osa(half, raw);
  dedupe::jaro_winkler(half, raw);
  dedupe::token_set_similarity(half, raw);
  dedupe::qgram_similarity(half, raw, 3);
  return 0;
}
