#include "core/golden/decide.hpp"

#include <cmath>
#include <map>

#include "core/error.hpp"
#include "core/match/comparisons.hpp"
#include "core/match/record_set.hpp"
#include "core/match/training.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::golden {

using match::Role;

match::RecordSetBuilder record_builder() {
  return match::RecordSetBuilder(write_path_roles(), "US", /*normalized_input=*/true,
                                 /*blocking_keys=*/false);
}

void add_record(match::RecordSetBuilder& builder, int64_t row, const Person& p) {
  const auto& roles = write_path_roles();
  std::vector<std::optional<std::string>> owned;
  owned.reserve(roles.size());
  for (Role role : roles) owned.push_back(value_of(p, role));
  std::vector<std::optional<std::string_view>> raw;
  for (const auto& v : owned) raw.push_back(v ? std::optional<std::string_view>(*v) : std::nullopt);
  builder.add(row, raw.data());
}

namespace {

// The scorer's comparisons in the explanation's shape: the level's name is the verdict, the
// weight (bits of log2 odds) what it contributed. A role neither record has is left out: it
// weighs nothing, and listing the write path's fifteen roles for a table that maps five made
// every audited explanation about 2 kB, most of it "missing" twice.
std::vector<Comparison> comparisons_of(const match::RecordSet& set, const match::PairExplanation& e,
                                       uint32_t a, uint32_t b) {
  std::vector<Comparison> out;
  for (const match::ComparisonExplanation& c : e.comparisons) {
    Comparison x;
    x.attribute = match::role_name(c.role);
    for (auto [record, side] : {std::pair{a, &x.left}, std::pair{b, &x.right}}) {
      const uint32_t id = set.id(c.role, record);
      if (id != match::kNull) *side = set.value(c.role, id).text;
    }
    if (!x.left && !x.right) continue;
    const std::string& level = match::comparison_def(c.role).levels[c.level];
    x.verdict = c.level == match::kNullLevel ? "missing" : c.ignored ? "ignored" : level;
    // exact 1, else 0, the levels between (nickname, one edit, ...) a partial agreement
    x.similarity = level == "exact" ? 1.0 : level == "else" || level == "null" ? 0.0 : 0.5;
    x.contribution = c.weight;  // bits of log2 odds: log2(m/u) of the level
    out.push_back(std::move(x));
  }
  return out;
}

// The decision's waterfall for records a and b: their comparisons, and the rule that left
// shared identifiers out of the score (a family's mailbox, a switchboard), if one did.
void explain_into(Decision& d, const match::RecordSet& set, const match::Scorer& scorer, uint32_t a,
                  uint32_t b) {
  const match::PairExplanation e = scorer.explain(a, b);
  d.comparisons = comparisons_of(set, e, a, b);
  d.keys_ignored_by = e.score.evidence && !e.score.rule_link ? e.score.evidence : "";
}

}  // namespace

std::vector<std::pair<Role, std::string>> more_roles(
    const std::vector<std::pair<std::string, std::string>>& named) {
  std::vector<std::pair<Role, std::string>> out;
  for (const auto& [name, value] : named)
    if (const auto role = match::parse_role(name)) out.emplace_back(*role, value);
  return out;
}

const std::vector<Role>& write_path_roles() {
  static const std::vector<Role> roles = {
      Role::kExternalId,  Role::kEmail,   Role::kPhone,    Role::kFirstName,   Role::kLastName,
      Role::kDateOfBirth, Role::kCompany, Role::kDomain,   Role::kHouseNumber, Role::kStreet,
      Role::kLocality,    Role::kCity,    Role::kPostcode, Role::kState,       Role::kIdentifier};
  return roles;
}

const match::Model& cold_start_model() {
  // m: how often true duplicates compare at the level; u: how often two different people
  // among the candidates do. External ids are namespaced by source, so only equality (a
  // deterministic rule) says anything; different ids say nothing.
  static const match::Model model = match::model_from_levels(
      1.0 / 8192,  // prior odds of a candidate pair: names alone land near 0.5
      {
          {"external_id", "exact", 0.9, 1e-6},
          {"external_id", "else", 0.999, 0.999},
          {"email", "exact", 0.5, 1e-5},
          {"email", "same_mailbox_tag_differs", 0.05, 1e-5},
          {"email", "one_edit", 0.02, 0.001},  // a typo
          // Another mailbox at the same domain (jsmith@ and john.smith2@ one company, two
          // accounts at one provider): rare for one person, while two people's addresses share
          // a domain about one time in seven (the big free-mail providers).
          {"email", "other_mailbox_same_domain", 0.02, 0.15},
          {"email", "else", 0.45, 0.84},
          {"phone", "exact", 0.5, 1e-5},
          {"phone", "one_edit", 0.01, 0.001},  // a typo, or the next direct line
          {"phone", "else", 0.48, 0.99},
          {"first_name", "exact", 0.6, 0.01},
          {"first_name", "nickname", 0.15, 0.002},
          {"first_name", "one_edit", 0.05, 0.002},
          {"first_name", "jaro_winkler_0.9", 0.03, 0.003},
          {"first_name", "swapped_with_last_name", 0.01, 1e-4},
          {"first_name", "jaro_winkler_0.8", 0.03, 0.01},
          {"first_name", "else", 0.13, 0.973},
          {"last_name", "exact", 0.8, 0.005},
          {"last_name", "one_edit", 0.08, 0.001},
          {"last_name", "jaro_winkler_0.9", 0.03, 0.001},
          {"last_name", "swapped_with_first_name", 0.01, 1e-4},
          {"last_name", "jaro_winkler_0.8", 0.02, 0.005},
          {"last_name", "else", 0.06, 0.99},
          {"company", "exact", 0.5, 0.02},
          {"company", "tokens_0.9", 0.1, 0.005},
          {"company", "else", 0.4, 0.975},
          {"domain", "exact", 0.5, 0.02},
          {"domain", "else", 0.5, 0.98},
          {"date_of_birth", "exact", 0.85, 1e-4},
          {"date_of_birth", "day_month_swapped", 0.03, 1e-5},
          {"date_of_birth", "one_edit", 0.05, 0.002},
          {"date_of_birth", "two_edits", 0.02, 0.01},
          {"date_of_birth", "else", 0.05, 0.99},
          {"house_number", "exact", 0.7, 0.05},
          {"house_number", "else", 0.3, 0.95},
          {"street", "exact", 0.6, 0.005},
          {"street", "jaro_winkler_0.9", 0.1, 0.005},
          {"street", "else", 0.3, 0.99},
          {"locality", "exact", 0.6, 0.05},
          {"locality", "jaro_winkler_0.9", 0.05, 0.01},
          {"locality", "else", 0.35, 0.94},
          {"city", "exact", 0.7, 0.05},
          {"city", "jaro_winkler_0.9", 0.05, 0.01},
          {"city", "else", 0.25, 0.94},
          {"postcode", "exact", 0.7, 0.005},
          {"postcode", "one_edit", 0.05, 0.01},
          {"postcode", "else", 0.25, 0.985},
          {"state", "exact", 0.8, 0.2},
          {"state", "else", 0.2, 0.8},
          {"identifier", "exact", 0.9, 1e-6},
          {"identifier", "one_edit", 0.02, 1e-4},
          {"identifier", "else", 0.08, 0.9999},
      },
      // One address says where a household lives, not who of it wrote: its parts agreeing
      // together count for far less than their sum, so a family at one address needs its
      // given names and dates of birth to agree too.
      // An employer's name and its mail domain are one fact told twice.
      {{{"street", "postcode", "city", "house_number"}, 12.0},
       {{"street", "postcode", "city"}, 9.0},
       {{"postcode", "city"}, 3.0},
       {{"company", "domain"}, std::log2(0.5 / 0.02)}});  // the domain's exact weight
  return model;
}

match::Model estimate_model(const match::RecordSet& records, const match::RunControl& control) {
  if (records.size() < kMinRecordsToEstimate)
    throw Error(
        "55000",
        "too few records to estimate the write path's model: " + std::to_string(records.size()) +
            ", at least " + std::to_string(kMinRecordsToEstimate) + " are needed",
        {}, "the cold-start model stays in force until dedupe.records holds enough valid records");
  match::Model model = match::train(records, {}, control);
  const match::Model& cold = cold_start_model();
  // Roles with too few values: the cold-start parameters (EM would return its starting m and
  // a u from a handful of values).
  std::string kept;
  for (match::ComparisonParams& c : model.comparisons) {
    if (records.column(c.role).non_null >= kMinValuesToEstimate) continue;
    c = *cold.find(c.role);
    kept += std::string(kept.empty() ? "\"" : ", \"") + match::role_name(c.role) + "\"";
  }
  // An employer's name and its mail domain restate each other: agreeing on both counts as
  // agreeing on the name (the correction is the domain's exact weight, as in cold start).
  const match::ComparisonParams* domain = model.find(Role::kDomain);
  if (domain && model.find(Role::kCompany)) {
    const double bits = std::log2(domain->m[match::kExactLevel] / domain->u[match::kExactLevel]);
    if (bits > 0)
      model.dependence.push_back(match::Dependence{{Role::kCompany, Role::kDomain}, bits});
  }
  // {"records": ..., ...} from train(), with the method first and the roles kept last.
  std::string training = model.training;
  if (!training.empty() && training.front() == '{' && training.back() == '}')
    training = training.substr(1, training.size() - 2);
  model.training = "{\"method\": \"em\", " + training + ", \"cold_start_roles\": [" + kept + "]}";
  return model;
}

Decision decide(const Person& record, const std::vector<Candidate>& candidates,
                const Thresholds& thresholds, const match::Model& model) {
  Decision d = decide_by_rules(record, candidates);
  if (!d.rule.empty()) return d;

  std::vector<const Candidate*> scored;
  match::RecordSetBuilder builder = record_builder();
  add_record(builder, 0, record);
  for (const Candidate& c : candidates) {
    if (c.distinct) continue;
    scored.push_back(&c);
    add_record(builder, static_cast<int64_t>(scored.size()), c.member);
  }
  if (scored.empty()) {
    d.rule = "no_candidate";
    return d;
  }
  const match::RecordSet set = builder.finish([] {});
  // Without term frequencies: a handful of candidates says nothing about how common a name
  // is, and u already stands for the average name.
  const match::Scorer scorer(model, set, /*term_frequency=*/false);

  // The best member of each golden record speaks for it.
  std::map<int64_t, std::pair<double, uint32_t>> best;  // golden -> (probability, record)
  for (uint32_t i = 1; i <= scored.size(); ++i) {
    const double p = scorer.score(0, i).probability;
    auto [it, fresh] = best.try_emplace(scored[i - 1]->golden_id, p, i);
    if (!fresh && p > it->second.first) it->second = {p, i};
  }
  int64_t top = 0;
  double top_p = -1;
  std::vector<int64_t> linkable;
  for (const auto& [golden, score] : best) {
    if (score.first > top_p) top = golden, top_p = score.first;
    if (score.first >= thresholds.auto_link) linkable.push_back(golden);
  }
  const uint32_t member = best[top].second;
  d.golden_id = top;
  d.score = top_p;
  explain_into(d, set, scorer, 0, member);
  if (linkable.size() > 1) {
    d.rule = "match_probability_names_several_golden_records";
    d.conflicting = linkable;
    as_conflict_review(d);
  } else if (top_p >= thresholds.auto_link) {
    d.action = Action::kLink;
    d.rule = "match_probability";
  } else if (top_p >= thresholds.review) {
    d.action = Action::kReview;
    d.review_kind = "ambiguous";
    d.rule = "match_probability_in_doubt";
  } else {
    d.action = Action::kNewGolden;
    d.rule = "match_probability_below_review";
  }
  return d;
}

Decision explain_pair(const Person& a, const Person& b, const Thresholds& thresholds,
                      const match::Model& model) {
  Decision d = decide(a, {Candidate{1, b, false}}, thresholds, model);
  match::RecordSetBuilder builder = record_builder();
  add_record(builder, 0, a);
  add_record(builder, 1, b);
  const match::RecordSet set = builder.finish([] {});
  const match::Scorer scorer(model, set, false);
  explain_into(d, set, scorer, 0, 1);
  if (d.rule.rfind("same_", 0) == 0 || d.rule.rfind("evidence_", 0) == 0) return d;
  d.score = scorer.score(0, 1).probability;
  return d;
}

}  // namespace dedupe::golden
