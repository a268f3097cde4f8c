// The records of one batch run, stored by column: each role keeps a dictionary of its
// distinct normalized values and one 32-bit value id per record. Normalization and every
// per-value preparation (code points, nickname canonical form, phonetic code, term
// frequency) run once per distinct value, not once per record.
//
// Memory: 8 bytes per record for the row id plus 4 bytes per record and mapped role, plus
// each distinct value (its text twice, once as UTF-8 and once as code points, a 32-byte
// letter histogram, and a hash entry while loading: about 130 bytes + 5x its length).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/match/roles.hpp"
#include "core/match/run_control.hpp"

namespace dedupe::match {

inline constexpr uint32_t kNull = UINT32_MAX;

// One distinct normalized value of a role.
struct Value {
  std::string text;
  std::u32string points;   // code points of text, for edit distances and Jaro-Winkler
  uint32_t count = 0;      // records holding it
  uint32_t canonical = 0;  // first names: id of the nickname-canonical form; else own id
  // first names: ids of every given name it may stand for (Hal: Harold and Henry), sorted;
  // two names sharing one are nicknames of each other
  std::vector<uint32_t> variants;
  uint32_t phonetic = kNull;  // names: id of the Double Metaphone primary code
  double log2_frequency = 0;  // log2(count / records with a value in this role)
  bool ascii = true;          // no multi-byte characters: compared byte by byte
  // Code points counted by their low 5 bits (saturating): the characters two values can
  // have in common, a cheap bound on their Jaro-Winkler similarity (roles with points).
  std::array<uint8_t, 32> letters{};
};

struct Column {
  bool mapped = false;
  std::vector<Value> values;
  uint64_t non_null = 0;
};

class RecordSet {
 public:
  size_t size() const { return row_ids_.size(); }
  int64_t row_id(size_t record) const { return row_ids_[record]; }
  bool has(Role role) const { return columns_[role_index(role)].mapped; }
  const Column& column(Role role) const { return columns_[role_index(role)]; }
  // The record's value id for a mapped role; kNull when the record has no value.
  uint32_t id(Role role, size_t record) const {
    return ids_[record * stride_ + slot_[role_index(role)]];
  }
  const Value& value(Role role, uint32_t id) const { return columns_[role_index(role)].values[id]; }
  // The roles compared, in role order: every mapped role, but a full name only when neither
  // first nor last name is mapped (its parts carry the same information).
  std::vector<Role> roles() const;
  // Approximate bytes held (for progress reports and the documented per-row cost).
  size_t memory_bytes() const;

 private:
  friend class RecordSetBuilder;
  std::vector<int64_t> row_ids_;
  Column columns_[kRoleCount];
  // Value ids row by row (a record's ids share a cache line when pairs are scored).
  std::vector<uint32_t> ids_;
  size_t stride_ = 0;
  unsigned char slot_[kRoleCount] = {0};
};

// The role-specific normalized form of a raw value; empty when nothing comparable is left.
// Names through normalize_name, companies through normalize_company, emails and phones
// through their normalizers (falling back to folded text when invalid, so a malformed value
// still matches its identical twin), dates of birth as their digits (YYYYMMDD for ISO dates).
std::string normalize_for_role(Role role, std::string_view raw, std::string_view phone_region);

class RecordSetBuilder {
 public:
  // Phones are read in the row's country when the country role holds a two-letter code
  // (as the write path reads them), else in phone_region.
  // normalized_input: the values are already in normalize_for_role()'s form (the write path's
  // records), so they are taken as they are instead of being normalized again.
  // blocking_keys false: the set is only scored, never blocked, so names get no phonetic code.
  explicit RecordSetBuilder(const std::vector<Role>& roles, std::string phone_region = "US",
                            bool normalized_input = false, bool blocking_keys = true);
  // raw[k] is the value of the k-th role given to the constructor (nullopt when NULL).
  void add(int64_t row_id, const std::optional<std::string_view>* raw);
  size_t size() const { return set_.size(); }
  // Normalizes and prepares the distinct values; calls check() now and then (it may throw
  // to cancel). The builder is empty afterwards.
  RecordSet finish(const std::function<void()>& check);
  // The same, also reporting progress ('normalizing') through control.
  RecordSet finish(const RunControl& control);

 private:
  std::vector<Role> roles_;
  std::string region_;
  bool normalized_input_;
  bool blocking_keys_;
  RecordSet set_;
  std::vector<std::unordered_map<std::string, uint32_t>> raw_ids_;  // per given role
  std::vector<std::vector<std::string>> raw_values_;
};

}  // namespace dedupe::match
