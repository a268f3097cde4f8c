#include "core/match/model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "core/error.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::match {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

bool valid_probability(double p) { return std::isfinite(p) && p > 0 && p <= 1; }

// Levels added to a comparison after models were stored with it. A stored model without one
// takes the parameters of the next weaker level, which scored those pairs before, so it keeps
// scoring them as it did; dedupe.train estimates the level itself.
struct AddedLevel {
  Role role;
  const char* level;
  const char* stands_in;
};
constexpr AddedLevel kAddedLevels[] = {
    {Role::kEmail, "same_mailbox_tag_differs", "one_edit"},
    {Role::kEmail, "other_mailbox_same_domain", "else"},
};

size_t level_index(const ComparisonDef& def, std::string_view name) {
  size_t level = 1;
  while (level < def.levels.size() && def.levels[level] != name) ++level;
  return level;
}

}  // namespace

const ComparisonParams* Model::find(Role role) const {
  for (const auto& c : comparisons)
    if (c.role == role) return &c;
  return nullptr;
}

std::string Model::to_json() const {
  std::string out = "{\"format\": 1, \"lambda\": " + number(lambda) + ", \"comparisons\": [";
  for (size_t i = 0; i < comparisons.size(); ++i) {
    const ComparisonParams& c = comparisons[i];
    const ComparisonDef& def = comparison_def(c.role);
    if (i) out += ", ";
    out += "{\"role\": \"" + std::string(role_name(c.role)) + "\", \"levels\": [";
    for (size_t level = 1; level < def.levels.size(); ++level) {
      if (level > 1) out += ", ";
      out += "{\"level\": \"" + def.levels[level] + "\", \"m\": " + number(c.m[level]) +
             ", \"u\": " + number(c.u[level]) + "}";
    }
    out += "]}";
  }
  out += "], \"dependence\": [";
  for (size_t i = 0; i < dependence.size(); ++i) {
    out += i ? ", {\"roles\": [" : "{\"roles\": [";
    for (size_t j = 0; j < dependence[i].roles.size(); ++j)
      out += (j ? ", \"" : "\"") + std::string(role_name(dependence[i].roles[j])) + "\"";
    out += "], \"bits\": " + number(dependence[i].bits) + "}";
  }
  out += "], \"training\": " + (training.empty() ? std::string("{}") : training) + "}";
  return out;
}

Model model_from_levels(
    double lambda, const std::vector<LevelParams>& levels,
    const std::vector<std::pair<std::vector<std::string>, double>>& dependence) {
  if (!(std::isfinite(lambda) && lambda > 0 && lambda < 1))
    throw Error(sqlstate::kInvalidParameterValue,
                "model lambda must be a probability between 0 and 1, not " + number(lambda));
  Model model;
  model.lambda = lambda;
  std::vector<bool> seen_role(kRoleCount, false);
  std::vector<std::vector<bool>> seen_level(kRoleCount);
  std::vector<ComparisonParams> by_role(kRoleCount);
  for (const LevelParams& p : levels) {
    const auto role = parse_role(p.role);
    if (!role)
      throw Error(sqlstate::kInvalidParameterValue, "model has an unknown role \"" + p.role + "\"",
                  {}, "roles are " + role_names());
    const ComparisonDef& def = comparison_def(*role);
    const size_t level = level_index(def, p.level);
    if (level == def.levels.size())
      throw Error(sqlstate::kInvalidParameterValue,
                  "model has an unknown level \"" + p.level + "\" for role " + p.role);
    if (!valid_probability(p.m) || !valid_probability(p.u))
      throw Error(sqlstate::kInvalidParameterValue,
                  "model level " + p.role + "/" + p.level + " needs m and u in (0, 1]");
    const size_t r = role_index(*role);
    if (!seen_role[r]) {
      seen_role[r] = true;
      seen_level[r].assign(def.levels.size(), false);
      by_role[r] = ComparisonParams{*role, std::vector<double>(def.levels.size(), 1.0),
                                    std::vector<double>(def.levels.size(), 1.0)};
    }
    seen_level[r][level] = true;
    by_role[r].m[level] = p.m;
    by_role[r].u[level] = p.u;
  }
  for (size_t r = 0; r < kRoleCount; ++r) {
    if (!seen_role[r]) continue;
    const ComparisonDef& def = comparison_def(role_at(r));
    for (const AddedLevel& added : kAddedLevels) {
      if (role_index(added.role) != r) continue;
      const size_t level = level_index(def, added.level), from = level_index(def, added.stands_in);
      if (seen_level[r][level] || !seen_level[r][from]) continue;
      seen_level[r][level] = true;
      by_role[r].m[level] = by_role[r].m[from];
      by_role[r].u[level] = by_role[r].u[from];
    }
    for (size_t level = 1; level < def.levels.size(); ++level)
      if (!seen_level[r][level])
        throw Error(sqlstate::kInvalidParameterValue, std::string("model lacks level \"") +
                                                          def.levels[level] + "\" of role " +
                                                          role_name(role_at(r)));
    model.comparisons.push_back(std::move(by_role[r]));
  }
  for (const auto& [names, bits] : dependence) {
    Dependence d;
    for (const std::string& name : names) {
      const auto role = parse_role(name);
      if (!role || !may_restate(*role))
        throw Error(sqlstate::kInvalidParameterValue,
                    "model dependence names \"" + name +
                        "\", which is not an address role, company or domain");
      d.roles.push_back(*role);
    }
    if (!std::isfinite(bits) || d.roles.size() < 2)
      throw Error(sqlstate::kInvalidParameterValue,
                  "model dependence needs two or more roles and finite bits");
    d.bits = bits;
    model.dependence.push_back(std::move(d));
  }
  return model;
}

Scorer::Scorer(const Model& model, const RecordSet& set, bool term_frequency)
    : set_(set), prior_(std::log2(model.lambda / (1 - model.lambda))) {
  for (Role role : set.roles()) {
    const ComparisonParams* params = model.find(role);
    if (!params)
      throw Error(sqlstate::kInvalidParameterValue,
                  std::string("the model has no parameters for role ") + role_name(role), {},
                  "train a model with the same mapping (dedupe.train) or pass model => NULL");
    Entry e{role,
            std::vector<double>(params->m.size(), 0.0),
            term_frequency && comparison_def(role).term_frequency,
            std::log2(params->m[kExactLevel]),
            params->m,
            params->u};
    for (size_t level = 1; level < params->m.size(); ++level)
      e.weight[level] = std::log2(params->m[level] / params->u[level]);
    entries_.push_back(std::move(e));
  }
  // Roles that may restate each other get one bit each; correction_[mask] is the largest
  // dependence correction whose roles all lie in mask.
  int bits = 0;
  for (const Entry& e : entries_) restating_bit_.push_back(may_restate(e.role) ? bits++ : -1);
  correction_.assign(size_t{1} << bits, 0.0);
  for (const Dependence& d : model.dependence) {
    size_t need = 0;
    bool usable = true;
    for (Role r : d.roles) {
      size_t i = 0;
      while (i < entries_.size() && entries_[i].role != r) ++i;
      if (i == entries_.size())
        usable = false;
      else
        need |= size_t{1} << restating_bit_[i];
    }
    if (!usable) continue;
    for (size_t mask = 0; mask < correction_.size(); ++mask)
      if ((mask & need) == need) correction_[mask] = std::max(correction_[mask], d.bits);
  }
}

double Scorer::weight(uint32_t a, uint32_t b, uint32_t ignored_roles,
                      PairExplanation* trace) const {
  double w = prior_;
  if (trace) trace->prior_weight = prior_;
  size_t restating_exact = 0;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    const int level = compare(set_, e.role, a, b);
    const bool ignored = (ignored_roles & role_bit(e.role)) != 0;
    if (level == kExactLevel && restating_bit_[i] >= 0)
      restating_exact |= size_t{1} << restating_bit_[i];
    if (level == kNullLevel || ignored) {
      if (trace) {
        ComparisonExplanation c{e.role, level};
        if (level != kNullLevel) c.m = e.m[level], c.u = e.u[level];
        c.ignored = ignored;
        trace->comparisons.push_back(c);
      }
      continue;
    }
    // What exact agreement on a's value would weigh (its frequency for term-frequency roles).
    const double log2_frequency =
        e.term_frequency ? set_.value(e.role, set_.id(e.role, a)).log2_frequency : 0;
    const double exact = e.term_frequency ? e.log2_m_exact - log2_frequency : e.weight[kExactLevel];
    // A weaker agreement never weighs more than the exact one would: a rare level's u is
    // a noisy estimate, and 'holly matthews' / 'matthews holly' must not outweigh two
    // records that both say 'holly matthews'.
    const double added = level == kExactLevel ? exact : std::min(e.weight[level], exact);
    w += added;
    if (trace) {
      ComparisonExplanation c{e.role, level, e.m[level], e.u[level]};
      if (level == kExactLevel && e.term_frequency) c.value_frequency = std::exp2(log2_frequency);
      c.weight = added;
      c.capped = level != kExactLevel && exact < e.weight[level];
      trace->comparisons.push_back(c);
    }
  }
  if (trace) trace->dependence_correction = correction_[restating_exact];
  return w - correction_[restating_exact];
}

PairScore Scorer::score(uint32_t a, uint32_t b) const {
  PairScore s;
  const uint32_t shared = shared_identity(set_, a, b);
  const WritePathEvidence evidence =
      shared ? write_path_evidence(set_, a, b, shared) : WritePathEvidence{};
  s.match_weight = weight(a, b, evidence.ignored_roles, nullptr);
  s.evidence = evidence.rule;
  s.rule_link = evidence.kind == EvidenceKind::kLink;
  s.probability = s.rule_link ? 1.0 : probability(s.match_weight);
  return s;
}

PairExplanation Scorer::explain(uint32_t a, uint32_t b) const {
  PairExplanation out;
  const WritePathEvidence evidence = write_path_evidence(set_, a, b, shared_identity(set_, a, b));
  out.score.match_weight = weight(a, b, evidence.ignored_roles, &out);
  out.score.evidence = evidence.rule;
  out.score.rule_link = evidence.kind == EvidenceKind::kLink;
  out.score.probability = out.score.rule_link ? 1.0 : probability(out.score.match_weight);
  return out;
}

double Scorer::probability(double match_weight) { return 1.0 / (1.0 + std::exp2(-match_weight)); }

double Scorer::weight_for(double probability) {
  if (probability <= 0) return -INFINITY;
  if (probability >= 1) return INFINITY;
  return std::log2(probability / (1 - probability));
}

}  // namespace dedupe::match
