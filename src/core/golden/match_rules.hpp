// The matching rules of golden-record promotion, as pure functions: which golden record a
// new record belongs to, or why a human must decide. Every decision carries the
// comparisons that led to it, so dedupe.explain() can show them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dedupe::golden {

// A staged record's normalized identity attributes (see NormalizedRecord).
struct Person {
  std::optional<std::string> external_id, email, phone, first_name, last_name, company, domain;
};

enum class Names { kAgree, kUnknown, kContradict };

struct Comparison {
  std::string attribute;  // 'email', 'first_name', ...
  std::optional<std::string> left, right;
  double similarity = 0;    // 0..1
  double contribution = 0;  // what it added to the score
  std::string verdict;      // 'equal', 'similar', 'different', 'missing'
};

// first and last names together: canonical nicknames equal or Jaro-Winkler high on both
// agree; a clearly different first AND last name contradict; anything else is unknown.
Names compare_names(const Person& a, const Person& b, std::vector<Comparison>* trace = nullptr);

// Name similarity for fuzzy matching: 0..1, first names through their canonical forms; 0
// unless both the given name and the surname are at least 0.85 similar.
double name_similarity(const Person& a, const Person& b, std::vector<Comparison>* trace = nullptr);

struct Thresholds {
  double review = 0.85;     // fuzzy score at or above: a review item
  double auto_link = 0.97;  // ... and at or above this with an agreeing company or domain: link
};

// A golden record the new record may belong to, with the member that matched.
struct Candidate {
  int64_t golden_id = 0;
  Person member;
  bool distinct = false;  // a human already decided these are different people
};

enum class Action { kLink, kReview, kNewGolden };

struct Decision {
  Action action = Action::kNewGolden;
  std::string review_kind;           // 'ambiguous' or 'conflict' when action == kReview
  int64_t golden_id = 0;             // the golden record linked to or proposed
  std::vector<int64_t> conflicting;  // for 'conflict': every golden record the evidence names
  std::string rule;  // 'same_external_id', 'same_email', 'same_phone_names_agree', ...
  double score = 0;
  std::vector<Comparison> comparisons;
};

// Deterministic rules first (external id, email: the same person unless the names clearly
// contradict; phone: only when the names agree), then fuzzy name similarity over the
// blocked candidates. Evidence pointing at two golden records is a 'conflict'.
Decision decide(const Person& record, const std::vector<Candidate>& candidates,
                const Thresholds& thresholds = {});

// Every comparison between two records, and what decide() would make of them alone.
Decision explain_pair(const Person& a, const Person& b, const Thresholds& thresholds = {});

// Decision and comparisons as a JSON object (for dedupe.explain and the audit log).
std::string to_json(const Decision& decision);

const char* action_name(Action action);

}  // namespace dedupe::golden
