#include "core/cluster/blocking.hpp"

#include <algorithm>
#include <functional>
#include <numeric>

#include "core/error.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::cluster {
namespace {

using match::kNull;
using match::RecordSet;
using match::Role;

struct RuleDef {
  const char* name;
  const char* description;
  std::vector<Role> roles;  // all must be mapped
  bool sorted = false;      // sorted neighbourhood instead of a shared key
  bool automatic = true;    // chosen when its roles are mapped (else only when named)
};

const std::vector<RuleDef>& catalog() {
  static const std::vector<RuleDef> rules = {
      {"external_id", "same external id", {Role::kExternalId}},
      {"email", "same normalized email", {Role::kEmail}},
      {"phone", "same E.164 phone number", {Role::kPhone}},
      {"identifier", "same identifier", {Role::kIdentifier}},
      {"date_of_birth", "same date of birth", {Role::kDateOfBirth}},
      {"name_phonetic",
       "same Double Metaphone codes of given and family name, in either order",
       {Role::kFirstName, Role::kLastName}},
      {"postcode_initial",
       "same postcode and given-name initial (only when named)",
       {Role::kPostcode, Role::kFirstName},
       false,
       false},
      {"postcode_name_phonetic",
       "same postcode and the Double Metaphone code of either name part",
       {Role::kPostcode, Role::kFirstName, Role::kLastName}},
      {"city_name_phonetic",
       "same city and the Double Metaphone code of either name part",
       {Role::kCity, Role::kFirstName, Role::kLastName}},
      {"postcode_house_number",
       "same postcode and house number",
       {Role::kPostcode, Role::kHouseNumber}},
      {"street_address", "same house number and street", {Role::kHouseNumber, Role::kStreet}},
      {"company", "same normalized company name", {Role::kCompany}},
      {"sorted_family_name",
       "neighbours in the order family name, given name",
       {Role::kLastName},
       true},
      {"sorted_given_name",
       "neighbours in the order given name, family name",
       {Role::kFirstName},
       true},
      {"sorted_full_name", "neighbours in the order of the full name", {Role::kFullName}, true},
  };
  return rules;
}

const RuleDef* find_rule(const std::string& name) {
  for (const RuleDef& r : catalog())
    if (name == r.name) return &r;
  return nullptr;
}

bool mapped(const RecordSet& set, const RuleDef& rule) {
  return std::all_of(rule.roles.begin(), rule.roles.end(), [&](Role r) { return set.has(r); });
}

std::string rule_names() {
  std::string out;
  for (const RuleDef& r : catalog()) out += (out.empty() ? "" : ", ") + std::string(r.name);
  return out;
}

// Rank of each value of a role in text order, so records sort by integers.
std::vector<uint32_t> value_ranks(const RecordSet& set, Role role) {
  if (!set.has(role)) return {};
  const auto& values = set.column(role).values;
  std::vector<uint32_t> order(values.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return values[x].text < values[y].text; });
  std::vector<uint32_t> rank(values.size());
  for (uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
  return rank;
}

class Generator {
 public:
  Generator(const RecordSet& set, const BlockingOptions& options, const match::RunControl& control,
            std::vector<uint64_t>& out)
      : set_(set), options_(options), control_(control), ticker_(control), out_(out) {}

  void run(const RuleDef& rule, uint8_t index) {
    rule_ = index;
    if (rule.sorted) {
      sorted_neighbourhood(rule);
    } else {
      shared_key(rule);
    }
  }

  void compact() {
    std::sort(out_.begin(), out_.end());
    // Equal pairs are adjacent, the lowest rule first: keep that one.
    size_t w = 0;
    for (size_t i = 0; i < out_.size(); ++i)
      if (w == 0 || (out_[i] >> 8) != (out_[w - 1] >> 8)) out_[w++] = out_[i];
    out_.resize(w);
  }

 private:
  const RecordSet& set_;
  const BlockingOptions& options_;
  const match::RunControl& control_;
  match::InterruptTicker ticker_;
  std::vector<uint64_t>& out_;
  uint8_t rule_ = 0;
  std::vector<uint32_t> last_rank_, first_rank_, full_rank_;

  void emit(uint32_t a, uint32_t b) {
    ticker_.tick();
    if (a > b) std::swap(a, b);
    out_.push_back((uint64_t{a} << 36) | (uint64_t{b} << 8) | rule_);
    if (out_.size() % (1u << 20) == 0)
      control_.progress(match::Progress{"blocking", set_.size(), out_.size(), 0});
    if (out_.size() >= options_.max_pairs) {
      compact();
      if (out_.size() >= options_.max_pairs)
        throw Error(sqlstate::kProgramLimitExceeded,
                    "blocking produced more than " + std::to_string(options_.max_pairs) +
                        " candidate pairs",
                    "each candidate pair takes 8 bytes of memory",
                    "map more selective roles, name fewer blocking rules, or raise "
                    "dedupe.batch_max_pairs");
    }
  }

  // Name order of records: family name, given name, full name, then record index.
  uint64_t name_order_key(uint32_t rec, bool given_first) {
    if (last_rank_.empty() && first_rank_.empty() && full_rank_.empty()) {
      last_rank_ = value_ranks(set_, Role::kLastName);
      first_rank_ = value_ranks(set_, Role::kFirstName);
      full_rank_ = value_ranks(set_, Role::kFullName);
    }
    auto rank = [&](Role role, const std::vector<uint32_t>& ranks) -> uint64_t {
      if (!set_.has(role)) return 0;
      const uint32_t id = set_.id(role, rec);
      return id == kNull ? 0 : uint64_t{ranks[id]} + 1;
    };
    const uint64_t last = rank(Role::kLastName, last_rank_),
                   first = rank(Role::kFirstName, first_rank_);
    if (set_.has(Role::kFullName) && !set_.has(Role::kLastName))
      return rank(Role::kFullName, full_rank_);
    return given_first ? (first << 32) | last : (last << 32) | first;
  }

  void windows(std::vector<std::pair<uint64_t, uint32_t>>& ordered, size_t window) {
    std::sort(ordered.begin(), ordered.end());
    for (size_t i = 0; i < ordered.size(); ++i)
      for (size_t j = i + 1; j < ordered.size() && j <= i + window; ++j)
        emit(ordered[i].second, ordered[j].second);
  }

  void sorted_neighbourhood(const RuleDef& rule) {
    const bool given_first = std::string(rule.name) == "sorted_given_name";
    std::vector<std::pair<uint64_t, uint32_t>> ordered;
    ordered.reserve(set_.size());
    for (uint32_t rec = 0; rec < set_.size(); ++rec) {
      const uint64_t key = name_order_key(rec, given_first);
      if (key != 0) ordered.emplace_back(key, rec);
    }
    windows(ordered, options_.window);
  }

  // The rule's keys for a record (none when a needed value is missing; two when the record
  // may pair through either of two values).
  int keys_of(const RuleDef& rule, uint32_t rec, uint64_t* keys) {
    const std::string name = rule.name;
    if (name == "postcode_name_phonetic" || name == "city_name_phonetic") {
      const uint32_t p = set_.id(name[0] == 'p' ? Role::kPostcode : Role::kCity, rec);
      if (p == kNull) return 0;
      int count = 0;
      for (Role r : {Role::kFirstName, Role::kLastName}) {
        const uint32_t id = set_.id(r, rec);
        if (id == kNull || set_.value(r, id).phonetic == kNull) continue;
        keys[count++] = (uint64_t{p} << 32) | set_.value(r, id).phonetic;
      }
      if (count == 2 && keys[0] == keys[1]) count = 1;
      return count;
    }
    return key_of(rule, rec, keys[0]) ? 1 : 0;
  }

  // The rule's key for a record; false when a needed value is missing.
  bool key_of(const RuleDef& rule, uint32_t rec, uint64_t& key) {
    const std::string name = rule.name;
    if (name == "name_phonetic") {
      const uint32_t f = set_.id(Role::kFirstName, rec), l = set_.id(Role::kLastName, rec);
      if (f == kNull || l == kNull) return false;
      uint32_t pf = set_.value(Role::kFirstName, f).phonetic;
      uint32_t pl = set_.value(Role::kLastName, l).phonetic;
      if (pf == kNull || pl == kNull) return false;
      if (pf > pl) std::swap(pf, pl);
      key = (uint64_t{pf} << 32) | pl;
      return true;
    }
    if (name == "postcode_initial") {
      const uint32_t p = set_.id(Role::kPostcode, rec), f = set_.id(Role::kFirstName, rec);
      if (p == kNull || f == kNull) return false;
      key =
          (uint64_t{p} << 8) | static_cast<unsigned char>(set_.value(Role::kFirstName, f).text[0]);
      return true;
    }
    key = 0;
    for (Role r : rule.roles) {
      const uint32_t id = set_.id(r, rec);
      if (id == kNull) return false;
      key = (key << 32) | id;
    }
    return true;
  }

  void shared_key(const RuleDef& rule) {
    std::vector<std::pair<uint64_t, uint32_t>> keyed;
    keyed.reserve(set_.size());
    for (uint32_t rec = 0; rec < set_.size(); ++rec) {
      uint64_t keys[2];
      const int count = keys_of(rule, rec, keys);
      for (int k = 0; k < count; ++k) keyed.emplace_back(keys[k], rec);
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::pair<uint64_t, uint32_t>> big;
    for (size_t i = 0; i < keyed.size();) {
      size_t j = i;
      while (j < keyed.size() && keyed[j].first == keyed[i].first) ++j;
      if (j - i <= options_.max_block) {
        for (size_t a = i; a < j; ++a)
          for (size_t b = a + 1; b < j; ++b) emit(keyed[a].second, keyed[b].second);
      } else {
        big.clear();
        for (size_t a = i; a < j; ++a)
          big.emplace_back(name_order_key(keyed[a].second, false), keyed[a].second);
        windows(big, options_.window);
      }
      i = j;
    }
  }
};

}  // namespace

std::vector<std::pair<std::string, std::string>> blocking_rule_catalog() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const RuleDef& r : catalog()) out.emplace_back(r.name, r.description);
  return out;
}

std::vector<std::string> automatic_rules(const RecordSet& set) {
  std::vector<std::string> out;
  for (const RuleDef& r : catalog())
    if (r.automatic && mapped(set, r)) out.push_back(r.name);
  return out;
}

void check_rules(const RecordSet& set, const std::vector<std::string>& rules) {
  if (rules.empty())
    throw Error(sqlstate::kInvalidParameterValue, "no blocking rule applies to the mapped roles",
                {}, "rules are " + rule_names() + "; map roles they need or name rules");
  if (rules.size() > 255) throw Error(sqlstate::kInvalidParameterValue, "too many blocking rules");
  for (const std::string& name : rules) {
    const RuleDef* rule = find_rule(name);
    if (!rule)
      throw Error(sqlstate::kInvalidParameterValue, "unknown blocking rule \"" + name + "\"", {},
                  "rules are " + rule_names());
    for (Role r : rule->roles)
      if (!set.has(r))
        throw Error(sqlstate::kInvalidParameterValue, "blocking rule \"" + name + "\" needs role " +
                                                          match::role_name(r) +
                                                          ", which is not mapped");
  }
}

const std::string* CandidatePairs::find(uint32_t a, uint32_t b) const {
  if (a > b) std::swap(a, b);
  const uint64_t key = (uint64_t{a} << 36) | (uint64_t{b} << 8);
  const auto it = std::lower_bound(packed_.begin(), packed_.end(), key);
  if (it == packed_.end() || (*it >> 8) != (key >> 8)) return nullptr;
  return &rules_[*it & 0xFF];
}

std::vector<uint64_t> CandidatePairs::per_rule() const {
  std::vector<uint64_t> out(rules_.size(), 0);
  for (uint64_t p : packed_) ++out[p & 0xFF];
  return out;
}

CandidatePairs block(const RecordSet& set, const std::vector<std::string>& rules,
                     const BlockingOptions& options, const match::RunControl& control) {
  check_rules(set, rules);
  if (set.size() > CandidatePairs::kIndexMask)
    throw Error(sqlstate::kProgramLimitExceeded, "too many rows for one batch run",
                "at most " + std::to_string(CandidatePairs::kIndexMask) + " rows");
  CandidatePairs out;
  out.rules_ = rules;
  Generator generator(set, options, control, out.packed_);
  for (size_t i = 0; i < rules.size(); ++i)
    generator.run(*find_rule(rules[i]), static_cast<uint8_t>(i));
  generator.compact();
  out.packed_.shrink_to_fit();
  control.progress(match::Progress{"blocking", set.size(), out.packed_.size(), 0});
  return out;
}

}  // namespace dedupe::cluster
