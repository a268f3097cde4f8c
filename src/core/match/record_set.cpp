#include "core/match/record_set.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/error.hpp"
#include "core/normalize/company.hpp"
#include "core/normalize/domain.hpp"
#include "core/normalize/email.hpp"
#include "core/normalize/name.hpp"
#include "core/normalize/nicknames.hpp"
#include "core/normalize/phone.hpp"
#include "core/normalize/tokens.hpp"
#include "core/similarity/double_metaphone.hpp"
#include "core/similarity/metrics.hpp"
#include "core/no_postgres.hpp"

namespace dedupe::match {
namespace {

// Folded words separated by single spaces, punctuation gone ('12 Main St.' -> '12 main st').
std::string folded_words(std::string_view raw) {
  const auto tokens = detail::tokenize(detail::fold_fast(raw), /*amp_is_and=*/true);
  return detail::join_words(tokens, 0, tokens.size());
}

// Folded letters and digits only: identifiers and postcodes are written with and without
// spaces and dashes.
std::string folded_alnum(std::string_view raw) {
  std::string out;
  for (char c : detail::fold_fast(raw))
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80)
      out.push_back(c);
  return out;
}

std::string digits(std::string_view raw) {
  std::string out;
  for (char c : raw)
    if (c >= '0' && c <= '9') out.push_back(c);
  return out;
}

// Roles compared with Jaro-Winkler or token similarity keep their code points.
bool keeps_code_points(Role role) {
  switch (role) {
    case Role::kFirstName:
    case Role::kLastName:
    case Role::kFullName:
    case Role::kCompany:
    case Role::kStreet:
    case Role::kLocality:
    case Role::kCity:
      return true;
    default:
      return false;
  }
}

// Between a phone's region and its raw text in the builder's keys.
constexpr char kRegionSeparator = '\x1f';

}  // namespace

std::string normalize_for_role(Role role, std::string_view raw, std::string_view phone_region) {
  switch (role) {
    case Role::kFirstName:
    case Role::kLastName:
    case Role::kFullName:
      return normalize_name(raw);
    case Role::kCompany:
      return normalize_company(raw);
    case Role::kEmail:
      try {
        return normalize_email(raw);
      } catch (const Error&) {
        return folded_alnum(raw);
      }
    case Role::kPhone:
      try {
        return normalize_phone(raw, phone_region);
      } catch (const Error&) {
        return digits(raw);
      }
    case Role::kDomain:
      try {
        return normalize_domain(raw);
      } catch (const Error&) {
        return folded_alnum(raw);
      }
    case Role::kDateOfBirth:
      return digits(raw);
    case Role::kExternalId:
      // As written, like the write path's external ids (CRM ids are often case-sensitive:
      // Salesforce's 15-character ids differ in case only); blank is missing.
      for (char c : raw)
        if (!std::isspace(static_cast<unsigned char>(c))) return std::string(raw);
      return {};
    case Role::kPostcode:
    case Role::kIdentifier:
      return folded_alnum(raw);
    default:
      return folded_words(raw);
  }
}

std::vector<Role> RecordSet::roles() const {
  // A full name says again what its parts say: compared beside first and last name, a shared
  // common name would count twice and chain namesakes into one cluster. With the parts mapped
  // it is loaded (blocking may use it) but not compared.
  const bool has_parts = has(Role::kFirstName) || has(Role::kLastName);
  std::vector<Role> out;
  for (size_t i = 0; i < kRoleCount; ++i)
    if (columns_[i].mapped && !(role_at(i) == Role::kFullName && has_parts))
      out.push_back(role_at(i));
  return out;
}

size_t RecordSet::memory_bytes() const {
  size_t bytes = row_ids_.capacity() * sizeof(int64_t) + ids_.capacity() * sizeof(uint32_t);
  for (const Column& c : columns_) {
    bytes += c.values.capacity() * sizeof(Value);
    for (const Value& v : c.values) bytes += v.text.capacity() + v.points.capacity() * 4;
  }
  return bytes;
}

RecordSetBuilder::RecordSetBuilder(const std::vector<Role>& roles, std::string phone_region,
                                   bool normalized_input, bool blocking_keys)
    : roles_(roles),
      region_(std::move(phone_region)),
      normalized_input_(normalized_input),
      blocking_keys_(blocking_keys),
      raw_ids_(roles.size()) {
  set_.stride_ = roles_.size();
  for (size_t k = 0; k < roles_.size(); ++k) {
    Column& column = set_.columns_[role_index(roles_[k])];
    if (column.mapped)
      throw Error(sqlstate::kInvalidParameterValue,
                  std::string("role ") + role_name(roles_[k]) + " is mapped twice");
    column.mapped = true;
    set_.slot_[role_index(roles_[k])] = static_cast<unsigned char>(k);
  }
}

void RecordSetBuilder::add(int64_t row_id, const std::optional<std::string_view>* raw) {
  if (set_.row_ids_.size() >= kNull - 1)
    throw Error(sqlstate::kProgramLimitExceeded, "too many rows for one batch run");
  set_.row_ids_.push_back(row_id);
  for (size_t k = 0; k < roles_.size(); ++k) {
    uint32_t id = kNull;
    if (raw[k]) {
      auto& ids = raw_ids_[k];
      std::string key;
      if (roles_[k] == Role::kPhone) {
        // Phones are read in the row's country when it is a two-letter code, as the write
        // path reads them, else in the run's region: the key carries the region.
        key = region_;
        for (size_t c = 0; c < roles_.size(); ++c) {
          if (roles_[c] != Role::kCountry || !raw[c]) continue;
          std::string code;
          for (char ch : *raw[c])
            if (!std::isspace(static_cast<unsigned char>(ch)))
              code += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          if (code.size() == 2 && std::isalpha(static_cast<unsigned char>(code[0])) &&
              std::isalpha(static_cast<unsigned char>(code[1])))
            key = code;
        }
        key += kRegionSeparator;
      }
      key += *raw[k];
      auto [it, inserted] = ids.try_emplace(std::move(key), static_cast<uint32_t>(ids.size()));
      id = it->second;
    }
    set_.ids_.push_back(id);
  }
}

RecordSet RecordSetBuilder::finish(const std::function<void()>& check) {
  RunControl control;
  control.check_interrupt = check;
  return finish(control);
}

RecordSet RecordSetBuilder::finish(const RunControl& control) {
  const auto check = [&control, this] {
    control.check_interrupt();
    control.progress(Progress{"normalizing", set_.size(), 0, 0});
  };
  std::unordered_map<std::string, uint32_t> phonetic_ids;
  for (size_t k = 0; k < roles_.size(); ++k) {
    const Role role = roles_[k];
    Column& column = set_.columns_[role_index(role)];
    // Normalize each distinct raw value once; equal normalized forms share one id.
    std::vector<uint32_t> remap(raw_ids_[k].size(), kNull);
    std::unordered_map<std::string, uint32_t> normalized_ids;
    size_t done = 0;
    for (const auto& [key, raw_id] : raw_ids_[k]) {
      if (++done % 4096 == 0) check();
      std::string_view raw = key, region = region_;
      if (role == Role::kPhone) {
        const size_t cut = key.find(kRegionSeparator);
        region = raw.substr(0, cut);
        raw.remove_prefix(cut + 1);
      }
      std::string normalized =
          normalized_input_ ? std::string(raw) : normalize_for_role(role, raw, region);
      if (normalized.empty()) continue;
      auto [it, inserted] =
          normalized_ids.try_emplace(normalized, static_cast<uint32_t>(column.values.size()));
      if (inserted) {
        Value v;
        v.text = std::move(normalized);
        column.values.push_back(std::move(v));
      }
      remap[raw_id] = it->second;
    }
    raw_ids_[k] = {};
    for (size_t rec = 0; rec < set_.size(); ++rec) {
      uint32_t& id = set_.ids_[rec * set_.stride_ + k];
      if (id == kNull) continue;
      id = remap[id];
      if (id == kNull) continue;
      ++column.values[id].count;
      ++column.non_null;
    }
    // Per-value preparation.
    std::unordered_map<std::string, uint32_t> canonical_ids;
    for (uint32_t id = 0; id < column.values.size(); ++id) {
      if (id % 4096 == 0) check();
      Value& v = column.values[id];
      v.canonical = id;
      v.log2_frequency =
          v.count ? std::log2(static_cast<double>(v.count) / static_cast<double>(column.non_null))
                  : 0;
      if (keeps_code_points(role)) {
        v.points = code_points(v.text);
        for (char32_t c : v.points) {
          uint8_t& n = v.letters[c & 31];
          if (n < 255) ++n;
        }
      }
      v.ascii = std::all_of(v.text.begin(), v.text.end(),
                            [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      if (role == Role::kFirstName) {
        for (const std::string& name : nickname_table().variants(v.text)) {
          auto [it, inserted] =
              canonical_ids.try_emplace(name, static_cast<uint32_t>(canonical_ids.size()));
          v.variants.push_back(it->second);
        }
        v.canonical = v.variants.front();
        std::sort(v.variants.begin(), v.variants.end());
      }
      if (blocking_keys_ && (role == Role::kFirstName || role == Role::kLastName)) {
        const std::string code = double_metaphone(v.text).primary;
        if (code.empty()) continue;
        auto [it, inserted] =
            phonetic_ids.try_emplace(code, static_cast<uint32_t>(phonetic_ids.size()));
        v.phonetic = it->second;
      }
    }
  }
  RecordSet out = std::move(set_);
  set_ = RecordSet{};
  return out;
}

}  // namespace dedupe::match
