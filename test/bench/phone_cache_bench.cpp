// What the per-backend phone parse cache buys (core/normalize/phone.hpp): dedupe::normalize_phone
// over a generated CRM feed in which a share of the rows re-sends a number seen a little
// earlier (same raw text, same region), with the cache off and on. Also the write path's
// case of a watched table with a key column, whose BEFORE and AFTER row triggers both
// normalize the row's phone. Thread CPU time, medians of RUNS; prints figures, never fails on
// speed.
//   build/phone_cache_bench [rows=200000] [recur=0.4] [window=2000] [runs=5]
// window: a recurring number repeats one of the last `window` rows (0: any earlier row).
#include <malloc.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "core/normalize/phone.hpp"

namespace {

struct Number {
  std::string raw, region;
};

// Distinct numbers in the formats of test/bench/normalize.sh, a tenth national GB numbers.
Number fresh(size_t n) {
  char buf[64];
  const unsigned a = 201 + n % 700, b = 200 + (n / 7) % 800, c = n % 10000;
  switch (n % 5) {
    case 0:
      std::snprintf(buf, sizeof buf, "(%u) %u-%04u", a, b, c);
      return {buf, "US"};
    case 1:
      std::snprintf(buf, sizeof buf, "+1 %u.%u.%04u", a, b, c);
      return {buf, "US"};
    case 2:
      std::snprintf(buf, sizeof buf, "+44 20 7%03u %04u", b, c);
      return {buf, "US"};
    case 3:
      std::snprintf(buf, sizeof buf, "+49 30 %zu", 1000000 + n % 8999999);
      return {buf, "DE"};
    default:
      std::snprintf(buf, sizeof buf, "020 7%03u %04u", a, c);
      return {buf, "GB"};
  }
}

std::vector<Number> feed(size_t rows, double recur, size_t window) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> coin(0, 1);
  std::vector<Number> out;
  out.reserve(rows);
  size_t distinct = 0;
  for (size_t i = 0; i < rows; ++i) {
    if (i > 0 && coin(rng) < recur) {
      const size_t span = window == 0 ? i : std::min(i, window);
      out.push_back(out[i - 1 - std::uniform_int_distribution<size_t>(0, span - 1)(rng)]);
    } else {
      out.push_back(fresh(distinct++ * 7919 + 13));
    }
  }
  return out;
}

// Microseconds of this thread's CPU time per row for `calls` normalize_phone calls per row,
// the cache starting empty with `capacity` entries (0: off). hit_ratio gets the run's.
double us_per_row(const std::vector<Number>& numbers, int calls, size_t capacity,
                  double& hit_ratio) {
  const auto cpu_seconds = [] {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
  };
  size_t sink = 0;
  dedupe::reset_phone_cache(capacity);
  const double start = cpu_seconds();
  for (const Number& n : numbers)
    for (int k = 0; k < calls; ++k) sink += dedupe::normalize_phone(n.raw, n.region).size();
  const double seconds = cpu_seconds() - start;
  if (sink == 0) std::abort();
  const dedupe::LruCacheStats st = dedupe::phone_cache_stats();
  hit_ratio = st.hits + st.misses ? double(st.hits) / double(st.hits + st.misses) : 0;
  return 1e6 * seconds / numbers.size();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const size_t rows = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 200000;
  const double recur = argc > 2 ? std::strtod(argv[2], nullptr) : 0.4;
  const size_t window = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 2000;
  const int runs = argc > 4 ? std::max(1, std::atoi(argv[4])) : 5;
  dedupe::normalize_phone("+1 415 555 0132", "US");  // load libphonenumber's metadata

  std::printf("%zu numbers, %.0f%% re-sent from %s; cache of %zu; median of %d runs\n", rows,
              100 * recur,
              window ? ("the last " + std::to_string(window) + " rows").c_str() : "any earlier row",
              dedupe::kPhoneCacheCapacity, runs);
  std::printf("%-34s %12s %12s %8s %6s\n", "normalize_phone calls per row", "uncached us",
              "cached us", "speedup", "hits");
  const std::vector<Number> numbers = feed(rows, recur, window);
  // Off and on alternate, and the speedup is taken run by run, so both see the same load.
  for (int calls : {1, 2}) {
    std::vector<double> off, on, speedup;
    double hits = 0, unused = 0;
    for (int run = 0; run < runs; ++run) {
      off.push_back(us_per_row(numbers, calls, 0, unused));
      on.push_back(us_per_row(numbers, calls, dedupe::kPhoneCacheCapacity, hits));
      speedup.push_back(off.back() / on.back());
    }
    std::printf("%-34s %12.2f %12.2f %7.2fx %5.0f%%\n",
                calls == 1 ? "1 (watched table)" : "2 (watched table with key column)", median(off),
                median(on), median(speedup), 100 * hits);
  }

  // Memory of a full cache: distinct numbers of the longest usual shape, all kept.
  dedupe::reset_phone_cache(0);
  const size_t before = mallinfo2().uordblks;
  dedupe::reset_phone_cache(dedupe::kPhoneCacheCapacity);
  for (size_t i = 0; i < dedupe::kPhoneCacheCapacity; ++i)
    dedupe::normalize_phone("+1 (415) 555-" + std::to_string(1000 + i) + " ext. 1234", "US");
  const size_t after = mallinfo2().uordblks;
  std::printf("full cache (%zu entries): %.2f MB\n", dedupe::phone_cache_stats().size,
              (after - before) / 1048576.0);
  return 0;
}
