// Blocking: which pairs of records are compared at all. Each rule brings together records
// that share a key (an exact identifier, the date of birth, the phonetic codes of the two
// name parts, ...) or sit next to each other in an order (sorted neighbourhood). Rules are
// chosen automatically from the mapped roles, or named explicitly.
//
// A key shared by more than max_block records (a placeholder phone, a very common name) is
// not expanded to all its pairs: its records are ordered by name and each is compared with
// the next `window` ones, so no key can make the pair count quadratic.
//
// Memory: 8 bytes per candidate pair (sorted, duplicates across rules removed, each pair
// remembering the first rule that produced it), plus 16 bytes per record while a rule's
// keys are sorted.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/match/record_set.hpp"
#include "core/match/run_control.hpp"

namespace dedupe::cluster {

struct BlockingOptions {
  size_t max_block = 25;            // larger key groups fall back to a sorted window
  size_t window = 4;                // neighbours compared in sorted orders
  uint64_t max_pairs = 50'000'000;  // more candidate pairs raise 54000
};

// Every rule name with a one-line description, for documentation and error hints.
std::vector<std::pair<std::string, std::string>> blocking_rule_catalog();

// The rules whose roles are all mapped, in catalog order.
std::vector<std::string> automatic_rules(const match::RecordSet& set);

// Throws Error(22023) for an unknown rule or one whose roles are not mapped.
void check_rules(const match::RecordSet& set, const std::vector<std::string>& rules);

class CandidatePairs {
 public:
  size_t size() const { return packed_.size(); }
  uint32_t a(size_t i) const { return static_cast<uint32_t>(packed_[i] >> 36); }
  uint32_t b(size_t i) const { return static_cast<uint32_t>((packed_[i] >> 8) & kIndexMask); }
  const std::string& rule(size_t i) const { return rules_[packed_[i] & 0xFF]; }
  const std::vector<std::string>& rules() const { return rules_; }
  // Candidate pairs each rule produced first (index as in rules()).
  std::vector<uint64_t> per_rule() const;
  // The rule that made records a and b (either order) a candidate pair, or null.
  const std::string* find(uint32_t a, uint32_t b) const;

  static constexpr uint64_t kIndexMask = (uint64_t{1} << 28) - 1;

 private:
  friend CandidatePairs block(const match::RecordSet&, const std::vector<std::string>&,
                              const BlockingOptions&, const match::RunControl&);
  std::vector<uint64_t> packed_;  // a (28 bits) | b (28 bits) | rule (8 bits), a < b
  std::vector<std::string> rules_;
};

// Throws Error(54000) when the pairs exceed options.max_pairs or the records 2^28.
CandidatePairs block(const match::RecordSet& set, const std::vector<std::string>& rules,
                     const BlockingOptions& options, const match::RunControl& control);

}  // namespace dedupe::cluster
