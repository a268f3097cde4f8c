// libFuzzer target: the numeric arguments of the core functions behind SQL functions. A bound
// of INT_MAX, INT_MIN, NaN or an instant at the end of time is input, not a mistake
// (issue 13): each function must answer correctly or throw dedupe::Error, never overflow,
// allocate without limit or loop. Numbers are drawn mostly from the edges of their type.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/golden/business_time.hpp"
#include "core/ops/tracking_code.hpp"
#include "core/similarity/count_filter.hpp"
#include "core/similarity/double_metaphone.hpp"
#include "core/similarity/fuzzy_keys.hpp"
#include "core/similarity/fuzzy_query_text.hpp"
#include "core/similarity/metrics.hpp"

namespace {

int32_t pick_int(FuzzedDataProvider& in) {
  static const int32_t edges[] = {0,       1,       -1,          2,       3,
                                  4,       INT_MAX, INT_MAX - 1, INT_MIN, INT_MIN + 1,
                                  1000000, 1000001, INT_MAX / 2, 1 << 30};
  if (in.ConsumeBool()) return in.PickValueInArray(edges);
  return in.ConsumeIntegral<int32_t>();
}

int64_t pick_int64(FuzzedDataProvider& in) {
  static const int64_t edges[] = {
      0, 1, -1, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1, INT_MAX, INT_MIN};
  if (in.ConsumeBool()) return in.PickValueInArray(edges);
  return in.ConsumeIntegral<int64_t>();
}

double pick_double(FuzzedDataProvider& in) {
  static const double edges[] = {0.0,
                                 -0.0,
                                 1.0,
                                 0.5,
                                 -1.0,
                                 1e-300,
                                 std::numeric_limits<double>::denorm_min(),
                                 std::nextafter(1.0, 2.0),
                                 std::nextafter(0.0, -1.0),
                                 std::numeric_limits<double>::max(),
                                 std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity(),
                                 std::numeric_limits<double>::quiet_NaN()};
  if (in.ConsumeBool()) return in.PickValueInArray(edges);
  return in.ConsumeFloatingPoint<double>();
}

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

// dedupe.levenshtein(a, b, k): the exact distance when it is <= max(k, 0), else that + 1.
void levenshtein_bound(FuzzedDataProvider& in, std::u32string_view a, std::u32string_view b) {
  const int32_t k = pick_int(in);
  const int64_t full = dedupe::levenshtein(a, b), bound = std::max<int64_t>(k, 0);
  if (dedupe::levenshtein_bounded(a, b, k) != (full <= bound ? full : bound + 1)) abort();
}

// dedupe.qgram_similarity(a, b, q): a score in [0, 1] for q in 1..3, 22023 otherwise.
void qgram_size(FuzzedDataProvider& in, std::u32string_view a, std::u32string_view b) {
  const int32_t q = pick_int(in);
  try {
    const double s = dedupe::qgram_similarity(a, b, q);
    if (q < 1 || q > 3 || !(s >= 0 && s <= 1)) abort();
  } catch (const dedupe::Error&) {
    if (q >= 1 && q <= 3) abort();
  }
}

// dedupe.double_metaphone(name, max_length): SQL refuses negatives and passes the rest.
void metaphone_length(FuzzedDataProvider& in, const std::string& name) {
  const int32_t n = pick_int(in);
  if (n < 0) return;
  const auto codes = dedupe::double_metaphone(name, static_cast<size_t>(n));
  if (n > 0 && (codes.primary.size() > static_cast<size_t>(n) ||
                codes.alternate.size() > static_cast<size_t>(n)))
    abort();
}

// dedupe.within(query, k) and dedupe.similar_to(query, t), and the GIN count filters they
// feed: checked values only reach the filters, which must keep the query's own string.
void fuzzy_bounds(FuzzedDataProvider& in, std::u32string_view query) {
  const int32_t k = pick_int(in);
  try {
    const int checked = dedupe::fuzzy::checked_max_distance(k);
    if (checked < 0 || checked > 1000000) abort();
    if (!accepts_itself(dedupe::fuzzy::edit_distance_filter(query, checked), query)) abort();
  } catch (const dedupe::Error&) {
    if (k >= 0 && k <= 1000000) abort();
  }
  if (k >= 0 && !accepts_itself(dedupe::fuzzy::edit_distance_filter(query, k), query)) abort();
  const double t = pick_double(in);
  try {
    const float checked = dedupe::fuzzy::checked_threshold(t);
    if (!(checked >= 0 && checked <= 1)) abort();
    if (!accepts_itself(dedupe::fuzzy::similarity_filter(query, checked), query)) abort();
  } catch (const dedupe::Error&) {
    if (t >= 0 && t <= 1) abort();
  }
  dedupe::fuzzy::similarity_filter(query, t);  // any double, NaN included, must not be UB
}

// dedupe._derive_tracking_code(key, golden, campaign, attempt): any ids give a valid code.
void tracking_code(FuzzedDataProvider& in, const std::string& campaign) {
  const std::string key(16 + in.ConsumeIntegralInRange<size_t>(0, 16), 'k');
  const std::string code =
      dedupe::ops::derive_tracking_code(key, pick_int64(in), campaign, pick_int(in));
  if (dedupe::ops::parse_tracking_code(code) != code) abort();
}

// dedupe.business_due_at: any start PostgreSQL can hold (Unix ms), any minute count and
// window; the deadline is never before the start.
void business_deadline(FuzzedDataProvider& in) {
  constexpr int64_t kPgMinUnixMs = -210866803200000LL, kPgEndUnixMs = 9223371331200000LL;
  const int64_t start = in.ConsumeIntegralInRange<int64_t>(kPgMinUnixMs, kPgEndUnixMs - 1);
  const int64_t minutes = pick_int64(in);
  dedupe::BusinessHours hours;
  hours.open_minute = in.ConsumeBool() ? pick_int(in) : in.ConsumeIntegralInRange(0, 1440);
  hours.close_minute = in.ConsumeBool() ? pick_int(in) : in.ConsumeIntegralInRange(0, 1440);
  hours.working_days = in.ConsumeIntegral<uint8_t>();
  try {
    if (dedupe::add_business_minutes(start, minutes, hours) < start) abort();
  } catch (const dedupe::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  const std::string text = in.ConsumeRandomLengthString(200);
  const std::u32string a = dedupe::code_points(text),
                       b = dedupe::code_points(text.substr(std::min(text.size(), size % 7)));
  switch (in.ConsumeIntegralInRange(0, 5)) {
    case 0:
      levenshtein_bound(in, a, b);
      break;
    case 1:
      qgram_size(in, a, b);
      break;
    case 2:
      metaphone_length(in, text);
      break;
    case 3:
      fuzzy_bounds(in, dedupe::fuzzy::match_form(text));
      break;
    case 4:
      tracking_code(in, text);
      break;
    default:
      business_deadline(in);
  }
  return 0;
}
