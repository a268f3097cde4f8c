// normalize_record(): one watched row's identity fields, normalized and validated together.
// The write path's trigger calls it per row; batch matching reads the same normalized form.
#pragma once

#include <optional>
#include <string>

#include "core/key/match_key.hpp"

namespace dedupe {

struct RawRecord {
  std::string source;  // namespaces the external id: hubspot + 123 -> 'hubspot:123'
  std::string region;  // default phone region when the row has no usable country
  std::optional<std::string> external_id, email, phone, first_name, last_name, full_name, company,
      domain, country;
};

struct NormalizedRecord {
  bool valid = true;
  std::string reason;  // why the row is invalid; empty when valid
  std::optional<std::string> external_id, email, phone, first_name, last_name, full_name, company,
      domain, country;
  bool has_identity() const { return external_id || email || phone; }
};

// Never throws for bad field values: problems make the record invalid, with a reason that
// names the field and the value's problem. Blank fields count as absent.
NormalizedRecord normalize_record(const RawRecord& raw);

// The record's identity as a match_key (requires has_identity()).
MatchKey record_key(const NormalizedRecord& rec);

}  // namespace dedupe
