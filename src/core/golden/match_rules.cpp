#include "core/golden/match_rules.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/json_string.hpp"
#include "core/normalize/nicknames.hpp"
#include "core/similarity/metrics.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::golden {
namespace {

constexpr double kNamesAgree = 0.90;       // Jaro-Winkler on a name part: the same name
constexpr double kNamesContradict = 0.75;  // below on first AND last: different people
constexpr double kPartFloor = 0.85;        // fuzzy: each name part at least this similar

double jw(const std::string& a, const std::string& b) {
  return jaro_winkler(code_points(a), code_points(b));
}

// The first name as matching sees it: its canonical given name (Bob -> robert).
std::string canonical(const std::string& first) {
  try {
    return canonical_first_name(first);
  } catch (...) {
    return first;  // without the nickname table, the name itself
  }
}

Comparison compare_part(const char* attribute, const std::optional<std::string>& a,
                        const std::optional<std::string>& b, bool first_name) {
  Comparison c{attribute, a, b, 0, 0, "missing"};
  if (!a || !b) return c;
  c.similarity =
      first_name ? std::max(jw(*a, *b), canonical(*a) == canonical(*b) ? 1.0 : 0.0) : jw(*a, *b);
  c.verdict = c.similarity >= 1.0 ? "equal" : c.similarity >= kPartFloor ? "similar" : "different";
  return c;
}

bool equal(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return a && b && *a == *b;
}

Comparison exact(const char* attribute, const std::optional<std::string>& a,
                 const std::optional<std::string>& b) {
  Comparison c{attribute, a, b, 0, 0, "missing"};
  if (a && b) {
    c.similarity = *a == *b ? 1.0 : 0.0;
    c.verdict = *a == *b ? "equal" : "different";
  }
  return c;
}

void json_optional(std::string& out, const std::optional<std::string>& s) {
  if (s) {
    append_json_string(out, *s);
  } else {
    out += "null";
  }
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

Names compare_names(const Person& a, const Person& b, std::vector<Comparison>* trace) {
  const Comparison first = compare_part("first_name", a.first_name, b.first_name, true);
  const Comparison last = compare_part("last_name", a.last_name, b.last_name, false);
  if (trace) {
    trace->push_back(first);
    trace->push_back(last);
  }
  if (first.verdict == "missing" || last.verdict == "missing") {
    // One name part on each side: agreement on it is not enough to call them the same.
    if (first.verdict != "missing" && first.similarity < kNamesContradict)
      return Names::kContradict;
    if (last.verdict != "missing" && last.similarity < kNamesContradict) return Names::kContradict;
    return Names::kUnknown;
  }
  if (first.similarity >= kNamesAgree && last.similarity >= kNamesAgree) return Names::kAgree;
  if (first.similarity < kNamesContradict && last.similarity < kNamesContradict) {
    // Given and family name swapped (forms that ask for "name" and "surname" in one order,
    // CSVs in the other) is the same person written twice, not two people.
    const Comparison given_as_family =
        compare_part("first_name/last_name", a.first_name, b.last_name, true);
    const Comparison family_as_given =
        compare_part("last_name/first_name", a.last_name, b.first_name, true);
    if (given_as_family.similarity >= kNamesAgree && family_as_given.similarity >= kNamesAgree) {
      if (trace) {
        trace->push_back(given_as_family);
        trace->push_back(family_as_given);
        trace->back().verdict = trace->end()[-2].verdict = "swapped";
      }
      return Names::kAgree;
    }
    return Names::kContradict;
  }
  return Names::kUnknown;
}

double name_similarity(const Person& a, const Person& b, std::vector<Comparison>* trace) {
  Comparison first = compare_part("first_name", a.first_name, b.first_name, true);
  Comparison last = compare_part("last_name", a.last_name, b.last_name, false);
  if (first.verdict == "missing" || last.verdict == "missing") {
    if (trace) {
      trace->push_back(first);
      trace->push_back(last);
    }
    return 0;  // a fuzzy match needs both name parts on both sides
  }
  // The surname carries more weight: given names repeat far more across people.
  first.contribution = 0.4 * first.similarity;
  last.contribution = 0.6 * last.similarity;
  if (trace) {
    trace->push_back(first);
    trace->push_back(last);
  }
  // A strong surname does not make up for a different given name (and the reverse).
  if (first.similarity < kPartFloor || last.similarity < kPartFloor) return 0;
  return first.contribution + last.contribution;
}

Decision decide(const Person& record, const std::vector<Candidate>& candidates,
                const Thresholds& thresholds) {
  Decision d;
  // 1. Deterministic evidence, per golden record.
  std::set<int64_t> strong, by_phone_agreeing, by_phone_unsure;
  const Candidate* strong_example = nullptr;
  const Candidate* contradicting = nullptr;
  for (const Candidate& c : candidates) {
    if (c.distinct) continue;
    const bool same_id = equal(record.external_id, c.member.external_id);
    const bool same_email = equal(record.email, c.member.email);
    const bool same_phone = equal(record.phone, c.member.phone);
    if (same_id || same_email) {
      // A strong key whose names clearly contradict is a human's call, never a silent link.
      if (!same_id && compare_names(record, c.member) == Names::kContradict) {
        contradicting = &c;
        continue;
      }
      strong.insert(c.golden_id);
      if (!strong_example || same_id) strong_example = &c;
      d.rule = same_id ? "same_external_id" : "same_email";
    } else if (same_phone) {
      const Names names = compare_names(record, c.member);
      if (names == Names::kAgree) by_phone_agreeing.insert(c.golden_id);
      if (names == Names::kUnknown) by_phone_unsure.insert(c.golden_id);
      // Contradicting names behind a shared phone: a switchboard or a household.
    }
  }
  std::set<int64_t> named = strong;
  named.insert(by_phone_agreeing.begin(), by_phone_agreeing.end());
  if (contradicting) named.insert(contradicting->golden_id);
  if (named.size() > 1) {
    d.action = Action::kReview;
    d.review_kind = "conflict";
    d.rule = "evidence_names_several_golden_records";
    d.conflicting.assign(named.begin(), named.end());
    d.golden_id = d.conflicting.front();
    d.score = 1.0;
    return d;
  }
  if (!strong.empty()) {
    d.action = Action::kLink;
    d.golden_id = *strong.begin();
    d.score = 1.0;
    if (strong_example) compare_names(record, strong_example->member, &d.comparisons);
    return d;
  }
  if (contradicting) {
    d.action = Action::kReview;
    d.review_kind = "ambiguous";
    d.rule = "same_email_names_contradict";
    d.golden_id = contradicting->golden_id;
    d.score = 0.5;
    compare_names(record, contradicting->member, &d.comparisons);
    return d;
  }
  if (!by_phone_agreeing.empty()) {
    d.action = Action::kLink;
    d.rule = "same_phone_names_agree";
    d.golden_id = *by_phone_agreeing.begin();
    d.score = 0.95;
    return d;
  }
  if (!by_phone_unsure.empty()) {
    d.action = Action::kReview;
    d.review_kind = "ambiguous";
    d.rule = "same_phone_names_unknown";
    d.golden_id = *by_phone_unsure.begin();
    d.score = 0.6;
    return d;
  }
  // 2. Fuzzy: the best name match among the blocked candidates.
  const Candidate* best = nullptr;
  double best_score = 0;
  for (const Candidate& c : candidates) {
    if (c.distinct) continue;
    const double s = name_similarity(record, c.member);
    if (s > best_score) {
      best_score = s;
      best = &c;
    }
  }
  if (!best || best_score < thresholds.review) {
    d.action = Action::kNewGolden;
    d.rule = best ? "no_match_above_review_threshold" : "no_candidate";
    d.score = best_score;
    return d;
  }
  name_similarity(record, best->member, &d.comparisons);
  const Comparison company = exact("company", record.company, best->member.company);
  const Comparison domain = exact("domain", record.domain, best->member.domain);
  d.comparisons.push_back(company);
  d.comparisons.push_back(domain);
  const bool employer_agrees = company.verdict == "equal" || domain.verdict == "equal";
  d.golden_id = best->golden_id;
  d.score = best_score;
  // Two different addresses are two mailboxes: most often two people, so a human decides.
  const bool emails_differ =
      record.email && best->member.email && *record.email != *best->member.email;
  if (best_score >= thresholds.auto_link && employer_agrees && !emails_differ) {
    d.action = Action::kLink;
    d.rule = "similar_names_same_employer";
  } else {
    d.action = Action::kReview;
    d.review_kind = "ambiguous";
    d.rule = "similar_names_no_shared_key";
  }
  return d;
}

Decision explain_pair(const Person& a, const Person& b, const Thresholds& thresholds) {
  Decision d = decide(a, {Candidate{1, b, false}}, thresholds);
  std::vector<Comparison> all = {exact("external_id", a.external_id, b.external_id),
                                 exact("email", a.email, b.email),
                                 exact("phone", a.phone, b.phone)};
  name_similarity(a, b, &all);
  all.push_back(exact("company", a.company, b.company));
  all.push_back(exact("domain", a.domain, b.domain));
  d.comparisons = all;
  return d;
}

const char* action_name(Action action) {
  switch (action) {
    case Action::kLink:
      return "link";
    case Action::kReview:
      return "review";
    default:
      return "new_golden_record";
  }
}

std::string to_json(const Decision& d) {
  std::string out = "{\"decision\": ";
  append_json_string(out, action_name(d.action));
  out += ", \"rule\": ";
  append_json_string(out, d.rule);
  out += ", \"score\": " + number(d.score);
  if (!d.review_kind.empty()) {
    out += ", \"review_kind\": ";
    append_json_string(out, d.review_kind);
  }
  out += ", \"comparisons\": [";
  for (size_t i = 0; i < d.comparisons.size(); ++i) {
    const Comparison& c = d.comparisons[i];
    if (i) out += ", ";
    out += "{\"attribute\": ";
    append_json_string(out, c.attribute);
    out += ", \"left\": ";
    json_optional(out, c.left);
    out += ", \"right\": ";
    json_optional(out, c.right);
    out += ", \"similarity\": " + number(c.similarity) +
           ", \"contribution\": " + number(c.contribution) + ", \"verdict\": ";
    append_json_string(out, c.verdict);
    out += "}";
  }
  out += "]}";
  return out;
}

}  // namespace dedupe::golden
