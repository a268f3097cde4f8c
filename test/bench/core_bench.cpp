// Google Benchmark of the pure C++ core: per-call cost of each normalizer and of the
// match_key parser, without PostgreSQL. Run: cmake --build build --target core_bench &&
// build/core_bench
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "core/key/match_key.hpp"
#include "core/normalize/company.hpp"
#include "core/normalize/domain.hpp"
#include "core/normalize/email.hpp"
#include "core/normalize/fold.hpp"
#include "core/normalize/name.hpp"
#include "core/normalize/phone.hpp"

namespace {

template <typename Fn>
void run_over(benchmark::State& state, const std::vector<std::string>& inputs, Fn fn) {
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(fn(inputs[i]));
    if (++i == inputs.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_NormalizeEmail(benchmark::State& state) {
  run_over(state, {" John.Doe+news@GoogleMail.com ", "jane.roe@acme.com", "info@Bücher.de"},
           [](const std::string& s) { return dedupe::normalize_email(s); });
}
// A fresh parse every call (the per-backend parse cache off), then every call a cache hit.
void BM_NormalizePhone(benchmark::State& state) {
  dedupe::reset_phone_cache(0);
  run_over(state, {"(415) 555-0132", "+44 20 7946 0958", "+49 30 1234567", "1-800-FLOWERS"},
           [](const std::string& s) { return dedupe::normalize_phone(s, "US"); });
  dedupe::reset_phone_cache();
}
void BM_NormalizePhoneCached(benchmark::State& state) {
  dedupe::reset_phone_cache();
  run_over(state, {"(415) 555-0132", "+44 20 7946 0958", "+49 30 1234567", "1-800-FLOWERS"},
           [](const std::string& s) { return dedupe::normalize_phone(s, "US"); });
}
void BM_NormalizeNameAscii(benchmark::State& state) {
  run_over(state, {"Dr. John Smith Jr.", "Mary O'Brien"},
           [](const std::string& s) { return dedupe::normalize_name(s); });
}
void BM_NormalizeNameUnicode(benchmark::State& state) {
  run_over(state, {"Dr. José Álvarez-Núñez Jr.", "Дмитрий Иванов", "Ελένη Παπαδοπούλου"},
           [](const std::string& s) { return dedupe::normalize_name(s); });
}
void BM_NormalizeCompany(benchmark::State& state) {
  run_over(state, {"ACME, Inc.", "Müller & Söhne GmbH"},
           [](const std::string& s) { return dedupe::normalize_company(s); });
}
void BM_NormalizeDomain(benchmark::State& state) {
  run_over(state, {"https://www.Example.co.uk/about", "bücher.de"},
           [](const std::string& s) { return dedupe::normalize_domain(s); });
}
void BM_MatchKeyParse(benchmark::State& state) {
  run_over(state, {"(hubspot:1,+14155550132,janedoe@gmail.com)", "(,,jane@acme.com)"},
           [](const std::string& s) { return dedupe::parse(s).component_count(); });
}

BENCHMARK(BM_NormalizeEmail);
BENCHMARK(BM_NormalizePhone);
BENCHMARK(BM_NormalizePhoneCached);
BENCHMARK(BM_NormalizeNameAscii);
BENCHMARK(BM_NormalizeNameUnicode);
BENCHMARK(BM_NormalizeCompany);
BENCHMARK(BM_NormalizeDomain);
BENCHMARK(BM_MatchKeyParse);

}  // namespace

BENCHMARK_MAIN();
