#include "core/match/training.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "core/match/em.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::match {
namespace {

// Exact-equality blocking rules for EM sessions. The selective ones (an identifier, a date
// of birth, a whole name) always run when their roles are mapped; the coarse ones only when
// a mapped role would otherwise not be estimated by any session.
struct SessionRule {
  std::vector<Role> roles;
  bool fallback;
};
const std::vector<SessionRule>& session_rules() {
  static const std::vector<SessionRule> rules = {
      {{Role::kDateOfBirth}, false}, {{Role::kFirstName, Role::kLastName}, false},
      {{Role::kFullName}, false},    {{Role::kEmail}, false},
      {{Role::kPhone}, false},       {{Role::kExternalId}, false},
      {{Role::kIdentifier}, false},  {{Role::kPostcode}, true},
      {{Role::kCompany}, true},      {{Role::kLastName}, true},
      {{Role::kStreet}, true},       {{Role::kCity}, true},
      {{Role::kFirstName}, true},
  };
  return rules;
}

// Address parts depend on each other (a postcode implies its city and state): a session
// blocked on one of them cannot estimate the others either.
bool blocked_by(const std::vector<Role>& rule, Role r) {
  for (Role b : rule)
    if (b == r || (is_address(b) && is_address(r))) return true;
  return false;
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
                      uint64_t* pairs_used, std::vector<Dependence>* dependence) {
  const std::vector<Role> roles = set.roles();
  const uint64_t n = set.size();
  const uint64_t total = pair_count(n);
  const uint64_t take = std::min(total, options.u_pairs);
  LevelTable counts(kRoleCount);
  for (Role r : roles) counts[role_index(r)].assign(comparison_def(r).levels.size(), 0.0);

  // Joint agreement of address parts: how often random non-matching pairs agree exactly on
  // each set of them, among the pairs where all of the set are present.
  std::vector<Role> address;
  for (Role r : roles)
    if (is_address(r)) address.push_back(r);
  const size_t k = address.size();
  std::vector<uint64_t> joint(size_t{1} << (2 * k), 0);  // [exact mask << k | present mask]

  InterruptTicker ticker(control, 1024);
  std::mt19937_64 rng(options.seed);
  int levels[kRoleCount] = {0};
  auto count_pair = [&](uint32_t a, uint32_t b) {
    ticker.tick();
    for (Role r : roles) {
      levels[role_index(r)] = compare(set, r, a, b);
      ++counts[role_index(r)][levels[role_index(r)]];
    }
    if (k < 2) return;
    // Only pairs that look like non-matches (every other present comparison at its 'else'
    // level): among random pairs agreeing on several address parts, true duplicates
    // would otherwise pass for dependence.
    bool other = false;
    for (Role r : roles) {
      const int level = levels[role_index(r)];
      if (is_address(r) || level == kNullLevel) continue;
      if (level != static_cast<int>(comparison_def(r).levels.size()) - 1) return;
      other = true;
    }
    if (!other) return;
    size_t exact = 0, present = 0;
    for (size_t i = 0; i < k; ++i) {
      const int level = levels[role_index(address[i])];
      if (level != kNullLevel) present |= size_t{1} << i;
      if (level == kExactLevel) exact |= size_t{1} << i;
    }
    ++joint[(exact << k) | present];
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

  // Sets of address parts that agree together more often than their u values multiplied
  // say; only sets seen agreeing in enough sampled pairs to estimate that.
  constexpr uint64_t kMinSupport = 30;
  for (size_t subset = 1; dependence && subset < (size_t{1} << k); ++subset) {
    if (__builtin_popcountll(subset) < 2) continue;
    uint64_t agree = 0, present = 0;
    for (size_t key = 0; key < joint.size(); ++key) {
      const size_t e = key >> k, p = key & ((size_t{1} << k) - 1);
      if ((p & subset) == subset) present += joint[key];
      if ((e & subset) == subset) agree += joint[key];
    }
    if (agree < kMinSupport) continue;
    double bits = -std::log2(static_cast<double>(agree) / present);
    Dependence d;
    for (size_t i = 0; i < k; ++i)
      if (subset >> i & 1) {
        d.roles.push_back(address[i]);
        bits += std::log2(u[role_index(address[i])][kExactLevel]);
      }
    d.bits = -bits;  // log2(u_set / product of u_r): what the summed weights overstate
    if (d.bits > 0.5) dependence->push_back(std::move(d));
  }
  return u;
}

Model train(const RecordSet& set, const TrainOptions& options, const RunControl& control) {
  const std::vector<Role> roles = set.roles();
  const uint64_t n = set.size();
  uint64_t u_pairs = 0;
  control.progress(Progress{"training", n, 0, 0});
  Model model;
  const LevelTable u = estimate_u(set, options, control, &u_pairs, &model.dependence);

  LevelTable m_start(kRoleCount);
  for (Role r : roles) m_start[role_index(r)] = default_m(r);

  std::mt19937_64 rng(options.seed + 1);
  InterruptTicker ticker(control, 1024);
  std::vector<Session> sessions;
  std::vector<bool> estimated(kRoleCount, false);
  for (const SessionRule& candidate : session_rules()) {
    const std::vector<Role>& rule = candidate.roles;
    if (!std::all_of(rule.begin(), rule.end(), [&](Role r) { return set.has(r); })) continue;
    if (candidate.fallback &&
        std::all_of(roles.begin(), roles.end(), [&](Role r) { return estimated[role_index(r)]; }))
      continue;
    Session s;
    s.rule = rule_name(rule);
    s.blocked = rule;
    for (Role r : roles)
      if (!blocked_by(rule, r)) s.estimated.push_back(r);
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
    for (Role r : s.estimated) estimated[role_index(r)] = true;
    sessions.push_back(std::move(s));
  }

  // m: per role, the mean of the sessions' estimates.
  LevelTable m(kRoleCount);
  for (Role r : roles) {
    const size_t levels = comparison_def(r).levels.size();
    std::vector<double> sum(levels, 0.0);
    double weight = 0;
    for (const Session& s : sessions) {
      if (std::find(s.estimated.begin(), s.estimated.end(), r) == s.estimated.end()) continue;
      const double w = 1;  // sessions count equally, as in Splink
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
