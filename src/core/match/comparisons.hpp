// How two records compare on one role, as one of a few ordered levels (Splink's comparison
// levels): exact, then ever weaker kinds of agreement, then 'else'. Level 0 means a value is
// missing on either side and carries no evidence. A Fellegi-Sunter model learns how often
// each level occurs among matches (m) and among non-matches (u).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/match/record_set.hpp"
#include "core/match/roles.hpp"

namespace dedupe::match {

inline constexpr int kNullLevel = 0;
inline constexpr int kExactLevel = 1;

struct ComparisonDef {
  Role role;
  std::vector<std::string> levels;  // names; levels[0] == "null", levels[1] == "exact"
  // Whether an exact agreement is weighted by how common the shared value is (a match on
  // 'smith' says less than one on 'wojcikiewicz'): u becomes the value's frequency.
  bool term_frequency = false;
};

const ComparisonDef& comparison_def(Role role);

// The level of records a and b on role (which must be mapped).
int compare(const RecordSet& set, Role role, uint32_t a, uint32_t b);

// Two normalized dates of birth, both year, month and day (YYYYMMDD), at the 'else' level:
// not equal, not day and month swapped, more than two digits apart. One person has one date
// of birth; a typo or a swap stays within those levels. A date in another order or a year
// alone never differs (it may be the same date written otherwise).
bool dates_of_birth_differ(const std::string& a, const std::string& b);

}  // namespace dedupe::match
