#include "core/golden/match_rules.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/json_string.hpp"
#include "core/match/comparisons.hpp"
#include "core/normalize/nicknames.hpp"
#include "core/similarity/metrics.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::golden {
namespace {

constexpr double kNamesAgree = 0.90;       // Jaro-Winkler on a name part: the same name
constexpr double kNamesContradict = 0.75;  // below on first AND last: different people
constexpr double kPartFloor = 0.85;        // a name part at least this similar is 'similar'

double jw(const std::string& a, const std::string& b) {
  return jaro_winkler(code_points(a), code_points(b));
}

// Whether two given names may stand for one name (Bob and Robert, Hal and Harold): they share
// a variant in the nickname table.
bool nicknames(const std::string& a, const std::string& b) {
  try {
    const NicknameTable& table = nickname_table();
    const std::vector<std::string> va = table.variants(a), vb = table.variants(b);
    for (const std::string& x : va)
      if (std::find(vb.begin(), vb.end(), x) != vb.end()) return true;
    return false;
  } catch (...) {
    return a == b;  // without the nickname table, the name itself
  }
}

// One given name written as an initial or a short form of the other ("t", "tim" and
// "timothy"): neither agreement nor contradiction.
bool abbreviates(const std::string& a, const std::string& b) {
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return !shorter.empty() && shorter.size() < longer.size() &&
         longer.compare(0, shorter.size(), shorter) == 0;
}

Comparison compare_part(const char* attribute, const std::optional<std::string>& a,
                        const std::optional<std::string>& b, bool first_name) {
  Comparison c{attribute, a, b, 0, 0, "missing"};
  if (!a || !b) return c;
  c.similarity = first_name ? std::max(jw(*a, *b), nicknames(*a, *b) ? 1.0 : 0.0) : jw(*a, *b);
  c.verdict = c.similarity >= 1.0 ? "equal" : c.similarity >= kPartFloor ? "similar" : "different";
  if (first_name && c.verdict == "different" && abbreviates(*a, *b)) c.verdict = "abbreviated";
  return c;
}

bool equal(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  return a && b && *a == *b;
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
    if (first.verdict != "missing" && first.verdict != "abbreviated" &&
        first.similarity < kNamesContradict)
      return Names::kContradict;
    if (last.verdict != "missing" && last.similarity < kNamesContradict) return Names::kContradict;
    return Names::kUnknown;
  }
  if (first.similarity >= kNamesAgree && last.similarity >= kNamesAgree) return Names::kAgree;
  if (first.similarity < kNamesContradict && first.verdict != "abbreviated") {
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

std::optional<std::string> value_of(const Person& p, match::Role role) {
  switch (role) {
    case match::Role::kExternalId:
      return p.external_id;
    case match::Role::kEmail:
      return p.email;
    case match::Role::kPhone:
      return p.phone;
    case match::Role::kFirstName:
      return p.first_name;
    case match::Role::kLastName:
      return p.last_name;
    case match::Role::kCompany:
      return p.company;
    case match::Role::kDomain:
      return p.domain;
    default:
      for (const auto& [r, v] : p.more)
        if (r == role) return v;
      return std::nullopt;
  }
}

bool dates_of_birth_differ(const Person& a, const Person& b) {
  const auto da = value_of(a, match::Role::kDateOfBirth),
             db = value_of(b, match::Role::kDateOfBirth);
  return da && db && match::dates_of_birth_differ(*da, *db);
}

bool phone_is_evidence(const Person& a, const Person& b) {
  const Names names = compare_names(a, b);
  if (names != Names::kUnknown) return names == Names::kAgree;
  if (compare_part("last_name", a.last_name, b.last_name, false).similarity < kNamesAgree)
    return false;
  const Comparison first = compare_part("first_name", a.first_name, b.first_name, true);
  return first.verdict != "different";  // the same, similar, an initial, or not given
}

namespace {

// What one candidate's shared identifier says: which rule, how strong (the same external id
// before the same email before the same phone), and whether the names agree.
struct Evidence {
  const Candidate* candidate;
  const char* rule;
  int strength;  // 0 strongest
  bool firm;     // the same external id, or names that agree
};

std::optional<Evidence> evidence_of(const Person& record, const Candidate& c) {
  const bool same_id = equal(record.external_id, c.member.external_id);
  if (same_id) return Evidence{&c, "same_external_id", 0, true};
  const bool same_email = equal(record.email, c.member.email);
  const bool same_phone = equal(record.phone, c.member.phone);
  if (!same_email && !same_phone) return std::nullopt;
  // A mailbox or a phone two dates of birth share is a household's (a parent and a child of
  // one name), not evidence of one person.
  if (dates_of_birth_differ(record, c.member)) return std::nullopt;
  const Names names = compare_names(record, c.member);
  // A shared mailbox whose names contradict (a household, a team inbox) is no evidence.
  if (same_email && names != Names::kContradict)
    return Evidence{&c, "same_email", 1, names == Names::kAgree};
  // A phone only with agreeing names: a switchboard or a home phone is shared by others.
  if (same_phone && names == Names::kAgree) return Evidence{&c, "same_phone_names_agree", 2, true};
  return std::nullopt;
}

}  // namespace

Decision decide_by_rules(const Person& record, const std::vector<Candidate>& candidates) {
  std::vector<Evidence> found;
  for (const Candidate& c : candidates)
    if (!c.distinct)
      if (auto e = evidence_of(record, c)) found.push_back(*e);
  std::set<int64_t> named, firm;
  for (const Evidence& e : found) {
    named.insert(e.candidate->golden_id);
    if (e.firm) firm.insert(e.candidate->golden_id);
  }
  // Golden records named only by a mailbox whose names do not agree ("jane doe" and "jane
  // smith": a maiden name, or two people of one house) are left out where firm evidence names
  // others: the record joins those, and merges only them.
  if (!firm.empty() && named.size() > firm.size()) {
    found.erase(std::remove_if(
                    found.begin(), found.end(),
                    [&firm](const Evidence& e) { return firm.count(e.candidate->golden_id) == 0; }),
                found.end());
    named = firm;
  }
  Decision d;
  if (found.empty()) return d;  // no rule applies: the model decides (empty rule)
  const Evidence& best = *std::min_element(
      found.begin(), found.end(),
      [](const Evidence& a, const Evidence& b) { return a.strength < b.strength; });
  d.action = Action::kLink;
  d.golden_id = best.candidate->golden_id;
  d.score = 1.0;
  if (named.size() > 1) {
    // Rules naming several golden records say they hold one person, as batch's clusters of the
    // same rows would: the record links to the one its strongest evidence names once the
    // others are merged into it (or, where they cannot be, waits there: as_conflict_review).
    d.review_kind = "conflict";
    d.rule = "evidence_names_several_golden_records";
    d.conflicting.assign(named.begin(), named.end());
    return d;
  }
  d.rule = best.rule;
  if (best.strength < 2) compare_names(record, best.candidate->member, &d.comparisons);
  return d;
}

void as_conflict_review(Decision& d) {
  d.action = Action::kReview;
  d.review_kind = "conflict";
  d.joins_while_reviewed = true;
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
  if (!d.keys_ignored_by.empty()) {
    out += ", \"keys_ignored_by\": ";
    append_json_string(out, d.keys_ignored_by);
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
