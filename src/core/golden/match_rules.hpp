// The matching rules of golden-record promotion, as pure functions: which golden record a
// new record belongs to, or why a human must decide. Every decision carries the
// comparisons that led to it, so dedupe.explain() can show them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/match/roles.hpp"

namespace dedupe::golden {

// A staged record's normalized identity attributes (see NormalizedRecord).
struct Person {
  std::optional<std::string> external_id, email, phone, first_name, last_name, company, domain;
  // Further roles a watched table maps (date of birth, address parts, identifier), each
  // normalized as batch normalizes it (match::normalize_for_role).
  std::vector<std::pair<match::Role, std::string>> more;
};

// The person's value for a role: an identity column, or one of `more`.
std::optional<std::string> value_of(const Person& p, match::Role role);

enum class Names { kAgree, kUnknown, kContradict };

struct Comparison {
  std::string attribute;  // 'email', 'first_name', ...
  std::optional<std::string> left, right;
  double similarity = 0;    // 0..1
  double contribution = 0;  // what it added to the score
  std::string verdict;      // 'equal', 'similar', 'different', 'missing'
};

// first and last names together: canonical nicknames equal or Jaro-Winkler high on both
// agree; a clearly different given name contradicts (unless given and family name are
// swapped), whatever the family name: a household shares its family name, and often a
// mailbox or a phone; anything else is unknown.
Names compare_names(const Person& a, const Person& b, std::vector<Comparison>* trace = nullptr);

// Both records carry a date of birth, and the two are more than a typo or a day-month swap
// apart (match::dates_of_birth_differ): two people, whatever else they share.
bool dates_of_birth_differ(const Person& a, const Person& b);

// Whether one phone on both records says anything about them being one person: a switchboard
// is shared by colleagues (other surnames), a home phone by a family (the surname, other given
// names), so only when the surnames agree and the given names are alike (nicknames, a typo,
// an initial) or one is missing.
bool phone_is_evidence(const Person& a, const Person& b);

// Match probabilities (see golden/decide.hpp): at or above auto_link a record links, at or
// above review a human decides (the record starts a golden record of its own meanwhile),
// below it starts a new golden record.
// The defaults (dedupe.effective_settings has the same): on the generated CRM feed
// (test/accuracy/write_path.py) they keep auto-links about 97% right and open fewer than 3
// review items per 100 rows, more than 80% of them right.
struct Thresholds {
  double review = 0.8;
  double auto_link = 0.9;
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
  std::string review_kind;  // 'ambiguous' or 'conflict' when action == kReview
  int64_t golden_id = 0;    // the golden record linked to or proposed
  // Every golden record the evidence names: for a 'conflict', and for a link on rules naming
  // several (the others are merged into golden_id first; where they cannot be, the decision
  // becomes a 'conflict' that joins golden_id while reviewed: as_conflict_review()).
  std::vector<int64_t> conflicting;
  // A 'conflict' whose record joins golden_id, the golden record its evidence names first,
  // while a human decides the merge (the model's: several golden records above the link
  // threshold, the best one; the rules' when their golden records could not be merged).
  bool joins_while_reviewed = false;
  std::string rule;  // 'same_external_id', 'same_email', 'same_phone_names_agree', ...
  double score = 0;
  std::vector<Comparison> comparisons;
  // The rule that left shared identifiers out of the model's score ('same_email_names_contradict',
  // 'shared_by_two_dates_of_birth', ...; match/write_path_evidence), empty when none did.
  std::string keys_ignored_by;
};

// The deterministic rules, the same on both paths (batch applies them to its pairs through
// match/write_path_evidence): the same external id, or the same email unless the names
// contradict, links; the same phone links only when the names agree; a mailbox or phone two
// dates of birth share (dates_of_birth_differ) is no evidence. Evidence naming several golden
// records links to one of them, the others merged into it (`conflicting`), when each is firm
// (an external id, or names that agree); a mailbox whose names only do not contradict merges
// nothing and gives way to firm evidence for others. When no rule applies the decision is
// kNewGolden with an empty rule, and the model decides (golden/decide.hpp).
Decision decide_by_rules(const Person& record, const std::vector<Candidate>& candidates);

// A link whose golden records could not be merged (a human kept members of them apart, or
// another transaction holds one): a 'conflict' for a human, the record in golden_id meanwhile.
void as_conflict_review(Decision& d);

// Decision and comparisons as a JSON object (for dedupe.explain and the audit log).
std::string to_json(const Decision& decision);

const char* action_name(Action action);

}  // namespace dedupe::golden
