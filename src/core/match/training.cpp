#include "core/match/training.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "core/match/em.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::match {
namespace {

// Exact-equality blocking rules for EM sessions, tried in this order; a rule is used when
// all its roles are mapped and it brings enough pairs together.
const std::vector<std::vector<Role>>& session_rules() {
  static const std::vector<std::vector<Role>> rules = {
      {Role::kDateOfBirth}, {Role::kFirstName, Role::kLastName},
      {Role::kFullName},    {Role::kPostcode},
      {Role::kEmail},       {Role::kPhone},
      {Role::kExternalId},  {Role::kIdentifier},
      {Role::kCompany},     {Role::kLastName},
      {Role::kCity},        {Role::kStreet},
      {Role::kFirstName},
  };
  return rules;
}

constexpr uint64_t kMinSessionPairs = 20;

uint64_t pair_count(uint64_t n) { return n < 2 ? 0 : n * (n - 1) / 2; }

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// The i-th pair (a < b) of n records in row-major order.
std::pair<uint32_t, uint32_t> nth_pair(uint64_t i, uint64_t n) {
  // Row a holds n-1-a pairs; find it by the closed form, then fix rounding.
  double nd = static_cast<double>(n);
  uint64_t a = static_cast<uint64_t>(
      std::floor(nd - 0.5 - std::sqrt((nd - 0.5) * (nd - 0.5) - 2.0 * static_cast<double>(i))));
  auto start = [n](uint64_t row) { return row * (2 * n - row - 1) / 2; };
  while (a > 0 && start(a) > i) --a;
  while (start(a + 1) <= i) ++a;
  return {static_cast<uint32_t>(a), static_cast<uint32_t>(a + 1 + (i - start(a)))};
}

struct Session {
  std::string rule;
  uint64_t pairs = 0, sampled = 0;
  EmResult em;
  std::vector<Role> blocked, estimated;
};

std::string rule_name(const std::vector<Role>& roles) {
  std::string out;
  for (Role r : roles) out += (out.empty() ? "" : "+") + std::string(role_name(r));
  return out;
}

}  // namespace

std::vector<double> default_m(Role role) {
  const size_t levels = comparison_def(role).levels.size();
  std::vector<double> m(levels, 0.0);
  // exact 0.8, the fuzzy levels share 0.15 (halving), 'else' 0.05.
  m[kExactLevel] = levels == 3 ? 0.9 : 0.8;
  double share = 0.15, sum = 0;
  for (size_t level = 2; level + 1 < levels; ++level) sum += std::pow(0.5, level - 2);
  for (size_t level = 2; level + 1 < levels; ++level)
    m[level] = share * std::pow(0.5, level - 2) / sum;
  m[levels - 1] = levels == 3 ? 0.1 : 0.05;
  return m;
}

LevelTable estimate_u(const RecordSet& set, const TrainOptions& options, const RunControl& control,
                      uint64_t* pairs_used) {
  const std::vector<Role> roles = set.roles();
  const uint64_t n = set.size();
  const uint64_t total = pair_count(n);
  const uint64_t take = std::min(total, options.u_pairs);
  LevelTable counts(kRoleCount);
  for (Role r : roles) counts[role_index(r)].assign(comparison_def(r).levels.size(), 0.0);

  InterruptTicker ticker(control, 1024);
  std::mt19937_64 rng(options.seed);
  auto count_pair = [&](uint32_t a, uint32_t b) {
    ticker.tick();
    for (Role r : roles) ++counts[role_index(r)][compare(set, r, a, b)];
  };
  if (take == total) {
    for (uint32_t a = 0; a < n; ++a)
      for (uint32_t b = a + 1; b < n; ++b) count_pair(a, b);
  } else {
    std::uniform_int_distribution<uint64_t> pick(0, total - 1);
    for (uint64_t i = 0; i < take; ++i) {
      auto [a, b] = nth_pair(pick(rng), n);
      count_pair(a, b);
    }
  }
  if (pairs_used) *pairs_used = take;

  LevelTable u(kRoleCount);
  for (Role r : roles) {
    const Column& column = set.column(r);
    auto& c = counts[role_index(r)];
    // Exact agreement among random pairs, from the value frequencies.
    double same = 0;
    for (const Value& v : column.values) same += static_cast<double>(v.count) * (v.count - 1.0);
    const double nn = static_cast<double>(column.non_null);
    double u_exact = nn > 1 ? same / (nn * (nn - 1)) : 0;
    u_exact = std::max(u_exact, 1.0 / std::max(1.0, nn * nn));
    // The other levels in the proportions the sample shows; a level never seen counts as
    // half a pair, so it gets a large but finite weight.
    double rest = 0;
    for (size_t level = 2; level < c.size(); ++level) rest += std::max(c[level], 0.5);
    auto& ur = u[role_index(r)];
    ur.assign(c.size(), 1.0);
    ur[kExactLevel] = std::min(u_exact, 0.999);
    for (size_t level = 2; level < c.size(); ++level)
      ur[level] = (1 - ur[kExactLevel]) * std::max(c[level], 0.5) / rest;
  }
  return u;
}

Model train(const RecordSet& set, const TrainOptions& options, const RunControl& control) {
  const std::vector<Role> roles = set.roles();
  const uint64_t n = set.size();
  uint64_t u_pairs = 0;
  control.progress(Progress{"training", n, 0, 0});
  const LevelTable u = estimate_u(set, options, control, &u_pairs);

  LevelTable m_start(kRoleCount);
  for (Role r : roles) m_start[role_index(r)] = default_m(r);

  std::mt19937_64 rng(options.seed + 1);
  InterruptTicker ticker(control, 1024);
  std::vector<Session> sessions;
  for (const auto& rule : session_rules()) {
    if (!std::all_of(rule.begin(), rule.end(), [&](Role r) { return set.has(r); })) continue;
    Session s;
    s.rule = rule_name(rule);
    s.blocked = rule;
    for (Role r : roles)
      if (std::find(rule.begin(), rule.end(), r) == rule.end()) s.estimated.push_back(r);
    if (s.estimated.empty()) continue;

    // Records grouped by the rule's value ids.
    std::vector<std::pair<uint64_t, uint32_t>> keyed;
    for (uint32_t rec = 0; rec < n; ++rec) {
      uint64_t key = 0;
      bool complete = true;
      for (Role r : rule) {
        const uint32_t id = set.id(r, rec);
        if (id == kNull) complete = false;
        key = key * 0x9E3779B97F4A7C15ULL + id;
      }
      if (complete) keyed.emplace_back(key, rec);
    }
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 0; i < keyed.size();) {
      size_t j = i;
      while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
      s.pairs += pair_count(j - i);
      i = j;
    }
    if (s.pairs < kMinSessionPairs) continue;

    const double rate = std::min(1.0, static_cast<double>(options.em_pairs) / s.pairs);
    std::uniform_real_distribution<double> unit(0, 1);
    PatternCounts patterns;
    for (size_t i = 0; i < keyed.size();) {
      size_t j = i;
      while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
      const uint64_t size = j - i, block_pairs = pair_count(size);
      if (rate >= 1) {
        for (size_t a = i; a < j; ++a)
          for (size_t b = a + 1; b < j; ++b) {
            ticker.tick();
            ++patterns[compare_pattern(set, s.estimated, keyed[a].second, keyed[b].second)];
          }
      } else {
        const uint64_t want = static_cast<uint64_t>(block_pairs * rate + unit(rng));
        std::uniform_int_distribution<uint64_t> pick(0, block_pairs ? block_pairs - 1 : 0);
        for (uint64_t k = 0; k < want; ++k) {
          ticker.tick();
          auto [a, b] = nth_pair(pick(rng), size);
          ++patterns[compare_pattern(set, s.estimated, keyed[i + a].second, keyed[i + b].second)];
        }
      }
      i = j;
    }
    for (const auto& [p, c] : patterns) s.sampled += c;
    s.em = expectation_maximization(patterns, s.estimated, u, m_start, 0.5, options.max_iterations);
    control.progress(Progress{"training", n, s.sampled, 0});
    sessions.push_back(std::move(s));
  }

  // m: per role, the sessions' estimates weighted by the matches each session saw.
  Model model;
  LevelTable m(kRoleCount);
  for (Role r : roles) {
    const size_t levels = comparison_def(r).levels.size();
    std::vector<double> sum(levels, 0.0);
    double weight = 0;
    for (const Session& s : sessions) {
      if (std::find(s.estimated.begin(), s.estimated.end(), r) == s.estimated.end()) continue;
      const double w = s.em.lambda * s.sampled;
      for (size_t level = 1; level < levels; ++level)
        sum[level] += w * s.em.m[role_index(r)][level];
      weight += w;
    }
    m[role_index(r)] = default_m(r);
    if (weight > 0)
      for (size_t level = 1; level < levels; ++level) m[role_index(r)][level] = sum[level] / weight;
    model.comparisons.push_back(ComparisonParams{r, m[role_index(r)], u[role_index(r)]});
  }

  // lambda: a session's matches are the matches its rule can see; the share of matches a
  // rule sees is the chance that both values are present and agree exactly among matches.
  std::vector<double> log_odds;
  const double total = static_cast<double>(pair_count(n));
  std::string report;
  for (const Session& s : sessions) {
    double recall = 1;
    for (Role r : s.blocked) {
      const double present = static_cast<double>(set.column(r).non_null) / n;
      recall *= m[role_index(r)][kExactLevel] * present * present;
    }
    const double matches = s.em.lambda * static_cast<double>(s.pairs) / std::max(recall, 1e-9);
    const double lambda = std::clamp(matches / total, 1.0 / (total + 1), 0.5);
    log_odds.push_back(std::log(lambda / (1 - lambda)));
    report += std::string(report.empty() ? "" : ", ") + "{\"rule\": \"" + s.rule +
              "\", \"pairs\": " + std::to_string(s.pairs) +
              ", \"sampled\": " + std::to_string(s.sampled) +
              ", \"match_share\": " + number(s.em.lambda) +
              ", \"iterations\": " + std::to_string(s.em.iterations) +
              ", \"lambda\": " + number(lambda) + "}";
  }
  if (log_odds.empty()) {
    model.lambda = std::clamp(1.0 / std::max(1.0, static_cast<double>(n)), 1e-9, 0.5);
  } else {
    std::sort(log_odds.begin(), log_odds.end());
    const size_t k = log_odds.size();
    const double median = k % 2 ? log_odds[k / 2] : (log_odds[k / 2 - 1] + log_odds[k / 2]) / 2;
    model.lambda = 1.0 / (1.0 + std::exp(-median));
  }
  model.training = "{\"records\": " + std::to_string(n) +
                   ", \"u_pairs\": " + std::to_string(u_pairs) + ", \"sessions\": [" + report +
                   "]}";
  return model;
}

}  // namespace dedupe::match
