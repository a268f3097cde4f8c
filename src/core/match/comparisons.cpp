#include "core/match/comparisons.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <type_traits>

#include "core/similarity/metrics.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::match {
namespace {

using L = std::vector<std::string>;

// Levels are tried in order; the first that holds is the pair's level.
const ComparisonDef kDefs[kRoleCount] = {
    {Role::kExternalId, L{"null", "exact", "else"}},
    {Role::kEmail, L{"null", "exact", "same_mailbox_tag_differs", "one_edit",
                     "other_mailbox_same_domain", "else"}},
    {Role::kPhone, L{"null", "exact", "one_edit", "else"}},
    {Role::kFirstName,
     L{"null", "exact", "nickname", "one_edit", "jaro_winkler_0.9", "swapped_with_last_name",
       "jaro_winkler_0.8", "else"},
     true},
    {Role::kLastName,
     L{"null", "exact", "one_edit", "jaro_winkler_0.9", "swapped_with_first_name",
       "jaro_winkler_0.8", "else"},
     true},
    {Role::kFullName, L{"null", "exact", "tokens_0.95", "tokens_0.85", "else"}, true},
    {Role::kDateOfBirth, L{"null", "exact", "day_month_swapped", "one_edit", "two_edits", "else"}},
    {Role::kCompany, L{"null", "exact", "tokens_0.9", "else"}, true},
    {Role::kDomain, L{"null", "exact", "else"}},
    {Role::kHouseNumber, L{"null", "exact", "else"}},
    {Role::kStreet, L{"null", "exact", "jaro_winkler_0.9", "else"}, true},
    {Role::kLocality, L{"null", "exact", "jaro_winkler_0.9", "else"}, true},
    {Role::kCity, L{"null", "exact", "jaro_winkler_0.9", "else"}, true},
    {Role::kPostcode, L{"null", "exact", "one_edit", "else"}, true},
    {Role::kState, L{"null", "exact", "else"}},
    {Role::kCountry, L{"null", "exact", "else"}},
    {Role::kIdentifier, L{"null", "exact", "one_edit", "else"}},
};

// True when a and b are at most one insertion, deletion, substitution or transposition of
// adjacent characters apart (optimal string alignment distance <= 1), in linear time.
template <typename S>
bool within_one_edit(const S& a, const S& b) {
  const size_t n = a.size(), m = b.size();
  if (n > m) return within_one_edit(b, a);
  if (m - n > 1) return false;
  size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return true;  // equal, or b has one more character at the end
  if (n == m) {
    if (a.compare(i + 1, S::npos, b, i + 1, S::npos) == 0) return true;  // substitution
    return i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.compare(i + 2, S::npos, b, i + 2, S::npos) == 0;  // transposition
  }
  return a.compare(i, S::npos, b, i + 1, S::npos) == 0;  // b has one more character at i
}

// Optimal string alignment distance capped at k + 1 on the diagonal band |i - j| <= k
// (cells outside it cannot hold a distance <= k), three rows on the stack.
template <typename S>
int osa_capped(const S& a, const S& b, int k) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  if (std::abs(n - m) > k) return k + 1;
  if (k == 1) return a == b ? 0 : within_one_edit(a, b) ? 1 : 2;
  constexpr int kMax = 64;
  if (m >= kMax) {
    if constexpr (std::is_same_v<S, std::string>) {
      return std::min(damerau_levenshtein_osa(code_points(a), code_points(b)), k + 1);
    } else {
      return std::min(damerau_levenshtein_osa(a, b), k + 1);
    }
  }
  const int over = k + 1;
  int rows[3][kMax + 1];
  int *two = rows[0], *prev = rows[1], *cur = rows[2];
  for (int j = 0; j <= m; ++j) prev[j] = two[j] = std::min(j, over);
  for (int i = 1; i <= n; ++i) {
    const int lo = std::max(1, i - k), hi = std::min(m, i + k);
    for (int j = 0; j <= m; ++j) cur[j] = over;
    cur[0] = std::min(i, over);
    int row_min = cur[0];
    for (int j = lo; j <= hi; ++j) {
      int v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = std::min(v, two[j - 2] + 1);
      cur[j] = std::min(v, over);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min >= over) return over;
    int* t = two;
    two = prev;
    prev = cur;
    cur = t;
  }
  return prev[m];
}

// Values without code points (dates, codes, contact values) are almost always ASCII and are
// compared byte by byte; anything else by code points.
int edit_distance_capped(const Value& a, const Value& b, int k) {
  if (a.ascii && b.ascii) return osa_capped(a.text, b.text, k);
  return osa_capped(code_points(a.text), code_points(b.text), k);
}

// Jaro-Winkler when it can reach `floor`, else 0. Jaro is at most (c/|a| + c/|b| + 1) / 3
// for c characters the two strings have in common, and the Winkler boost at most 0.4 of
// the rest: counting shared characters first (from the values' letter histograms, built
// once per distinct value) skips most unrelated pairs cheaply.
double jaro_winkler_from(const Value& a, const Value& b, double floor) {
  if (a.points.empty() || b.points.empty()) return 0;
  if (a.points.size() < 256 && b.points.size() < 256) {
    int common = 0;
    for (size_t i = 0; i < a.letters.size(); ++i) common += std::min(a.letters[i], b.letters[i]);
    const double c = common;
    double bound = (c / a.points.size() + c / b.points.size() + 1) / 3;
    if (bound > 0.7) bound += 0.4 * (1 - bound);
    if (bound < floor) return 0;
  }
  return jaro_winkler(a.points, b.points);
}

// 'jane+crm@acme.com' and 'jane@acme.com' (or 'jane+web@'): one mailbox under a sub-address
// tag that normalize_email keeps, because not every company's server treats '+' as a tag.
// Strong evidence of one person, short of the identity the exact level is.
bool same_mailbox_tag_differs(const std::string& a, const std::string& b) {
  const size_t at_a = a.rfind('@'), at_b = b.rfind('@');
  if (at_a == std::string::npos || at_b == std::string::npos) return false;
  if (a.compare(at_a, std::string::npos, b, at_b, std::string::npos) != 0) return false;
  // A quoted local part's '+' is part of its name; a leading '+' is no tag.
  if (a.front() == '"' || b.front() == '"') return false;
  const size_t end_a = std::min(a.find('+'), at_a), end_b = std::min(b.find('+'), at_b);
  return end_a > 0 && end_a == end_b && a.compare(0, end_a, b, 0, end_b) == 0;
}

bool day_month_swapped(const std::string& a, const std::string& b) {
  return a.size() == 8 && b.size() == 8 && a.compare(0, 4, b, 0, 4) == 0 &&
         a.compare(4, 2, b, 6, 2) == 0 && a.compare(6, 2, b, 4, 2) == 0;
}

int date_of_birth_level(const std::string& a, const std::string& b) {
  if (a == b) return kExactLevel;
  if (day_month_swapped(a, b)) return 2;
  const int d = osa_capped(a, b, 2);
  return d <= 1 ? 3 : d == 2 ? 4 : 5;
}

// A date of birth's digits read as year, month and day (what an ISO date or a date column
// gives): another order (04/02/1961, 02.04.1961) or a year alone cannot be told from another
// person's date, so only two such dates can contradict.
bool year_month_day(const std::string& digits) {
  if (digits.size() != 8) return false;
  int year = 0, month = 0, day = 0;
  for (size_t i = 0; i < 8; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(digits[i]))) return false;
    int& part = i < 4 ? year : i < 6 ? month : day;
    part = part * 10 + (digits[i] - '0');
  }
  return year >= 1800 && year <= 2199 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// A name that agrees with the other record's other name part (given and family name
// entered the wrong way round).
bool agrees_with(const Value& v, const RecordSet& set, Role other, uint32_t record) {
  if (!set.has(other)) return false;
  const uint32_t id = set.id(other, record);
  if (id == kNull) return false;
  const Value& w = set.value(other, id);
  return v.text == w.text || jaro_winkler_from(v, w, 0.9) >= 0.9;
}

// Two mailboxes one edit apart where the edit is a digit (john.smith@ and john.smith2@) or a
// separator (johnsmith@ and john_smith@, where the provider keeps them) are what a mail system
// hands a second person of the same name: numbered or punctuated, not mistyped.
bool variants_apart(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const auto variant = [](const std::string& s, size_t at) {
    return at < s.size() && (std::isdigit(static_cast<unsigned char>(s[at])) || s[at] == '.' ||
                             s[at] == '_' || s[at] == '-');
  };
  return variant(a, i) || variant(b, i);
}

// Two addresses at one domain: one person rarely has two mailboxes at one employer or one
// provider, so (beyond a typo) they are two people's far more often than two different domains.
bool same_domain(const std::string& a, const std::string& b) {
  const size_t at_a = a.rfind('@'), at_b = b.rfind('@');
  return at_a != std::string::npos && at_b != std::string::npos &&
         a.compare(at_a, std::string::npos, b, at_b, std::string::npos) == 0;
}

// Whether two given names may stand for one name (sorted variant ids share one).
bool nicknames(const Value& a, const Value& b) {
  auto i = a.variants.begin(), j = b.variants.begin();
  while (i != a.variants.end() && j != b.variants.end()) {
    if (*i == *j) return true;
    *i < *j ? ++i : ++j;
  }
  return false;
}

int compare_first_name(const RecordSet& set, const Value& a, const Value& b, uint32_t ra,
                       uint32_t rb) {
  if (a.canonical == b.canonical || nicknames(a, b)) return 2;
  if (within_one_edit(a.points, b.points)) return 3;
  const double jw = jaro_winkler_from(a, b, 0.8);
  if (jw >= 0.9) return 4;
  // Either record's given name is the other's family name: the two name parts were entered
  // the wrong way round on one side (the other part may then carry a typo or a different
  // spelling, so one crossing is enough here; the family name's own 'swapped' level asks
  // for both, so a clean swap counts on both roles and a partial one on this role only).
  if (agrees_with(a, set, Role::kLastName, rb) || agrees_with(b, set, Role::kLastName, ra))
    return 5;
  return jw >= 0.8 ? 6 : 7;
}

int compare_last_name(const RecordSet& set, const Value& a, const Value& b, uint32_t ra,
                      uint32_t rb) {
  if (within_one_edit(a.points, b.points)) return 2;
  const double jw = jaro_winkler_from(a, b, 0.8);
  if (jw >= 0.9) return 3;
  if (agrees_with(a, set, Role::kFirstName, rb) && agrees_with(b, set, Role::kFirstName, ra))
    return 4;
  return jw >= 0.8 ? 5 : 6;
}

}  // namespace

const ComparisonDef& comparison_def(Role role) { return kDefs[role_index(role)]; }

bool dates_of_birth_differ(const std::string& a, const std::string& b) {
  return year_month_day(a) && year_month_day(b) && date_of_birth_level(a, b) == 5;  // "else"
}

int compare(const RecordSet& set, Role role, uint32_t ra, uint32_t rb) {
  const uint32_t ia = set.id(role, ra), ib = set.id(role, rb);
  if (ia == kNull || ib == kNull) return kNullLevel;
  if (ia == ib) return kExactLevel;
  const Value& a = set.value(role, ia);
  const Value& b = set.value(role, ib);
  switch (role) {
    case Role::kFirstName:
      return compare_first_name(set, a, b, ra, rb);
    case Role::kLastName:
      return compare_last_name(set, a, b, ra, rb);
    case Role::kFullName: {
      const double s = token_set_similarity(a.points, b.points);
      return s >= 0.95 ? 2 : s >= 0.85 ? 3 : 4;
    }
    case Role::kDateOfBirth:
      return date_of_birth_level(a.text, b.text);
    case Role::kEmail:
      if (same_mailbox_tag_differs(a.text, b.text)) return 2;
      if (edit_distance_capped(a, b, 1) <= 1 && !variants_apart(a.text, b.text)) return 3;
      return same_domain(a.text, b.text) ? 4 : 5;
    case Role::kPhone:
    case Role::kPostcode:
    case Role::kIdentifier:
      return edit_distance_capped(a, b, 1) <= 1 ? 2 : 3;
    case Role::kCompany:
      return token_set_similarity(a.points, b.points) >= 0.9 ? 2 : 3;
    case Role::kStreet:
    case Role::kLocality:
    case Role::kCity:
      return jaro_winkler_from(a, b, 0.9) >= 0.9 ? 2 : 3;
    default:  // exact-only roles
      return 2;
  }
}

}  // namespace dedupe::match
